//! How a wizard step keeps its own part of the wizard's record: through a [`StepDraft`]
//! it is handed, never by reading another step's part. The wizard
//! ([`crate::wizard`]) owns the record and gives each step its part.

use crate::store::StoreError;

/// One step's part of the wizard's record.
pub trait StepDraft<T>: Send + Sync {
    /// The part as it is kept now.
    fn read(&self) -> Result<T, StoreError>;

    /// Changes the part as it is kept now (read again in the same transaction, so a
    /// change made meanwhile, such as the design saved as the researcher types, is
    /// kept) and answers it as changed.
    fn change(&self, change: &mut dyn FnMut(&mut T)) -> Result<T, StoreError>;

    /// Replaces the part.
    fn replace(&self, value: T) -> Result<(), StoreError>
    where
        T: Clone,
    {
        self.change(&mut |kept| *kept = value.clone())?;
        Ok(())
    }
}
