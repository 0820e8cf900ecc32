//! Launch orchestration (filled in by issue 8): creating a study and publishing it as a
//! journaled sequence. Each step is written to the local store before and after its call,
//! so that after a crash or a network failure the launch resumes where it stopped and
//! never creates a second study or publishes twice.

/// The steps of a launch, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchStep {
    CreateStudy,
    Publish,
}

/// Where a step stood when it was last journaled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepState {
    /// Written before the call: the call may or may not have reached Prolific, so the
    /// resume checks what exists before calling again.
    Started,
    /// Written after a successful call, with the id Prolific returned.
    Done { remote_id: String },
}
