//! MACE, Multi-Annotator Competence Estimation (Hovy, Berg-Kirkpatrick, Vaswani and
//! Hovy, "Learning Whom to Trust with MACE", NAACL 2013): a second consensus model,
//! simpler than Dawid-Skene and better at telling spammers apart.
//!
//! The model: item `i`'s true class `T_i` is uniform over the classes. Person `j`
//! answering it knows the answer with probability `θ_j` (their **competence**) and then
//! gives `T_i`; otherwise they answer from their own strategy `ξ_j` (a distribution over
//! the classes, whatever the item). So
//! `P(answer a | T = t) = θ_j [a = t] + (1 − θ_j) ξ_j[a]`.
//!
//! Variational Bayes expectation maximisation, as the paper's variant with priors (and
//! Crowd-Kit's default): a Beta(0.5, 0.5) prior on each `θ_j` and a symmetric
//! Dirichlet(10) prior on each strategy. The strategy's prior matters on unbalanced
//! labels: without it a strategy soaks up the most common answer and everyone looks like
//! a spammer who happens to be right.
//!
//! * **E-step**: the posterior over `T_i` from every answer, in log space; the constant
//!   `Σ ln((1 − θ) ξ[a])` cancels, so each answer adds one number to one class. Each
//!   answer's expected "knew it" is `q_ia θ_j / (θ_j + (1 − θ_j) ξ_j[a])`; the rest
//!   counts towards the strategy's `a`.
//! * **M-step** (variational): `θ_j ← exp(ψ(knew + 0.5) − ψ(answers + 1))`,
//!   `1 − θ_j ← exp(ψ(guessed + 0.5) − ψ(answers + 1))`, `ξ_j[a] ← exp(ψ(guessed_a + 10) −
//!   ψ(guessed + 10·classes))` (ψ the digamma function; these weights need not sum to
//!   one). A person's reported competence is the posterior mean
//!   `(knew + 0.5) / (answers + 1)`.
//!
//! Unlike MACE's own tool and Crowd-Kit, which start from random parameters and keep the
//! best of several restarts, this starts from one fixed point (everyone `θ = 0.5`, a
//! uniform strategy: the first posteriors are the majority vote's), so the same answers
//! always give the same result. Known answers pin their items as in Dawid-Skene. It stops
//! after [`MaceOptions::max_iterations`] (50, as MACE) or once the log marginal
//! likelihood per answer changes by less than [`MaceOptions::tolerance`].

use super::{Compact, Known, compact, pin};
use crate::analysis::model::{ItemId, ParticipantId, Question, ResponseSet};

/// Which model found the consensus.
pub const MACE: &str = "mace";

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MaceOptions {
    /// MACE's default: 50.
    pub max_iterations: u32,
    /// Stop once the log marginal likelihood per answer changes by less than this.
    pub tolerance: f64,
    /// The Beta prior on each competence, both shapes (MACE's and Crowd-Kit's: 0.5).
    pub competence_prior: f64,
    /// The symmetric Dirichlet prior on each strategy (Crowd-Kit's: 10).
    pub strategy_prior: f64,
}

impl Default for MaceOptions {
    fn default() -> Self {
        Self {
            max_iterations: 50,
            tolerance: 1e-7,
            competence_prior: 0.5,
            strategy_prior: 10.0,
        }
    }
}

/// The MACE fit of one choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct MaceFit {
    /// As [`super::DawidSkeneFit::classes`].
    pub classes: Vec<String>,
    pub items: Vec<ItemId>,
    /// `items × classes`, row by row.
    pub posteriors: Vec<f64>,
    pub pinned: Vec<bool>,
    pub participants: Vec<ParticipantId>,
    /// Each person's `θ`: how often they answer from knowing rather than by their own
    /// strategy. A spammer's is near zero.
    pub competence: Vec<f64>,
    /// `participants × classes`: what each person answers when they do not know (the
    /// variational weights: each row sums to a little under one).
    pub strategy: Vec<f64>,
    pub iterations: u32,
    pub converged: bool,
}

impl MaceFit {
    /// One item's most likely class and its probability; ties go to the class that
    /// sorts first.
    #[must_use]
    pub fn label(&self, index: usize) -> Option<(usize, f64)> {
        let k = self.classes.len();
        let row = self.posteriors.get(index * k..(index + 1) * k)?;
        let mut best: Option<(usize, f64)> = None;
        for (class, &probability) in row.iter().enumerate() {
            if best.is_none_or(|(_, top)| probability > top) {
                best = Some((class, probability));
            }
        }
        best
    }
}

/// Fits MACE to one choice question; `None` for other questions or without answers.
#[must_use]
pub fn mace(
    set: &ResponseSet,
    question: &Question,
    known: Option<&Known>,
    options: &MaceOptions,
) -> Option<MaceFit> {
    if !question.kind.is_choice() {
        return None;
    }
    let data = compact(set, question, known);
    if data.items.is_empty() || data.classes.is_empty() {
        return None;
    }
    Some(fit(data, options))
}

fn fit(data: Compact, options: &MaceOptions) -> MaceFit {
    let (k, w) = (data.classes.len(), data.participants.len());
    let (prior, strategy_prior) = (options.competence_prior, options.strategy_prior);
    // The variational weights of knowing and of guessing, and the strategies.
    let mut knowing = vec![0.5; w];
    let mut guessing = vec![0.5; w];
    let mut strategy = vec![1.0 / k as f64; w * k];
    let mut q = data.vote_shares();
    // Per (person, answer): ln P(answer | it is the truth) − ln P(answer | it is not).
    let mut gain = vec![0.0; w * k];
    // Per (person, answer): the probability that the answer came from knowing, were it
    // the truth; and ln P(answer | it is not the truth).
    let mut knew_if_true = vec![0.0; w * k];
    let mut log_guess = vec![0.0; w * k];
    let mut knew = vec![0.0; w];
    let mut answered = vec![0.0; w];
    let mut guessed = vec![0.0; w * k];
    let mut previous = f64::NEG_INFINITY;
    let (mut iterations, mut converged) = (0, false);
    while iterations < options.max_iterations {
        iterations += 1;
        for person in 0..w {
            for answer in 0..k {
                let cell = person * k + answer;
                let guess = guessing[person] * strategy[cell];
                gain[cell] = (knowing[person] + guess).ln() - guess.ln();
                knew_if_true[cell] = knowing[person] / (knowing[person] + guess);
                log_guess[cell] = guess.ln();
            }
        }
        // E-step and the expected counts in one pass.
        knew.fill(0.0);
        answered.fill(0.0);
        guessed.fill(0.0);
        let mut log_likelihood = 0.0;
        for (item, row) in q.chunks_exact_mut(k).enumerate() {
            row.fill(0.0);
            let answers = data.starts[item]..data.starts[item + 1];
            for index in answers.clone() {
                let cell = data.people[index] as usize * k + data.answers[index] as usize;
                row[data.answers[index] as usize] += gain[cell];
                log_likelihood += log_guess[cell];
            }
            let top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut total = 0.0;
            for share in row.iter_mut() {
                *share = (*share - top).exp();
                total += *share;
            }
            row.iter_mut().for_each(|share| *share /= total);
            log_likelihood += top + total.ln() - (k as f64).ln();
            pin(row, data.pinned[item]);
            for index in answers {
                let person = data.people[index] as usize;
                let answer = data.answers[index] as usize;
                let known = row[answer] * knew_if_true[person * k + answer];
                knew[person] += known;
                answered[person] += 1.0;
                guessed[person * k + answer] += 1.0 - known;
            }
        }
        // Variational M-step.
        for person in 0..w {
            let all = digamma(answered[person] + 2.0 * prior);
            knowing[person] = (digamma(knew[person] + prior) - all).exp();
            guessing[person] = (digamma(answered[person] - knew[person] + prior) - all).exp();
            let counts = &guessed[person * k..(person + 1) * k];
            let all = digamma(counts.iter().sum::<f64>() + k as f64 * strategy_prior);
            for (share, &count) in strategy[person * k..(person + 1) * k]
                .iter_mut()
                .zip(counts)
            {
                *share = (digamma(count + strategy_prior) - all).exp();
            }
        }
        let per_answer = log_likelihood / data.answers.len() as f64;
        if (per_answer - previous).abs() < options.tolerance {
            converged = true;
            break;
        }
        previous = per_answer;
    }
    let competence = (0..w)
        .map(|person| (knew[person] + prior) / (answered[person] + 2.0 * prior))
        .collect();
    MaceFit {
        classes: data.classes,
        items: data.items,
        posteriors: q,
        pinned: data.pinned.iter().map(Option::is_some).collect(),
        participants: data.participants,
        competence,
        strategy,
        iterations,
        converged,
    }
}

/// The digamma function ψ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to 10,
/// then its asymptotic series (error below 1e-12 there).
fn digamma(mut x: f64) -> f64 {
    let mut result = 0.0;
    while x < 10.0 {
        result -= 1.0 / x;
        x += 1.0;
    }
    let inverse = 1.0 / (x * x);
    result + x.ln()
        - 0.5 / x
        - inverse
            * (1.0 / 12.0
                - inverse
                    * (1.0 / 120.0
                        - inverse * (1.0 / 252.0 - inverse * (1.0 / 240.0 - inverse / 132.0))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::analysis::{NewAnswer, QuestionKind, ResponseSetBuilder};

    /// A small deterministic generator for the test sets.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1_u64 << 53) as f64
        }

        fn below(&mut self, n: usize) -> usize {
            ((self.next() * n as f64) as usize).min(n - 1)
        }
    }

    const OPTIONS: [&str; 4] = ["cat", "dog", "fox", "owl"];

    /// 200 items × 6 people: four answer right 85 times in 100 (else at random), `lazy`
    /// always answers `cat`, `random` answers at random. Returns the set and the truth.
    fn with_spammers(seed: u64) -> (ResponseSet, Vec<usize>) {
        let mut rng = Lcg(seed);
        let mut builder = ResponseSetBuilder::new();
        let mut truth = Vec::new();
        for item in 0..200 {
            let right = rng.below(OPTIONS.len());
            truth.push(right);
            let task = format!("t{item:03}");
            for person in ["good1", "good2", "good3", "good4", "lazy", "random"] {
                let answer = match person {
                    "lazy" => 0,
                    "random" => rng.below(OPTIONS.len()),
                    _ if rng.next() < 0.85 => right,
                    _ => rng.below(OPTIONS.len()),
                };
                builder.add(
                    &task,
                    "q",
                    QuestionKind::MultipleChoice,
                    person,
                    NewAnswer::Choice {
                        values: &[OPTIONS[answer]],
                        explanations: &[],
                    },
                );
            }
        }
        (builder.finish(), truth)
    }

    fn competence_of(fit: &MaceFit, set: &ResponseSet, name: &str) -> f64 {
        let index = fit
            .participants
            .iter()
            .position(|&p| set.participant_id(p) == name)
            .unwrap();
        fit.competence[index]
    }

    #[test]
    fn spammers_get_low_competence_and_the_truth_is_found() {
        for seed in [1, 7, 42] {
            let (set, truth) = with_spammers(seed);
            let fit = mace(&set, &set.questions()[0], None, &MaceOptions::default()).unwrap();
            assert_eq!(fit.classes, OPTIONS);
            for good in ["good1", "good2", "good3", "good4"] {
                let competence = competence_of(&fit, &set, good);
                assert!(competence > 0.7, "seed {seed}: {good} {competence}");
            }
            for spammer in ["lazy", "random"] {
                let competence = competence_of(&fit, &set, spammer);
                assert!(competence < 0.2, "seed {seed}: {spammer} {competence}");
            }
            // The lazy one's strategy leans to "cat" (the prior keeps some for the rest).
            let lazy = fit
                .participants
                .iter()
                .position(|&p| set.participant_id(p) == "lazy")
                .unwrap();
            assert!(
                fit.strategy[lazy * 4] > 0.8,
                "{:?}",
                &fit.strategy[lazy * 4..lazy * 4 + 4]
            );
            let right = (0..fit.items.len())
                .filter(|&index| fit.label(index).unwrap().0 == truth[index])
                .count();
            assert!(right >= 190, "seed {seed}: {right} of 200 right");
            for row in fit.posteriors.chunks_exact(4) {
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn digamma_matches_known_values() {
        // ψ(1) = −γ, ψ(0.5) = −γ − 2 ln 2, ψ(10) = H_9 − γ.
        let gamma = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + gamma).abs() < 1e-12);
        assert!((digamma(0.5) + gamma + 2.0 * 2_f64.ln()).abs() < 1e-12);
        let h9: f64 = (1..=9).map(|n| 1.0 / f64::from(n)).sum();
        assert!((digamma(10.0) - (h9 - gamma)).abs() < 1e-12);
    }

    #[test]
    fn it_is_deterministic_and_pins_known_answers() {
        let (set, truth) = with_spammers(3);
        let question = &set.questions()[0];
        let options = MaceOptions::default();
        let a = mace(&set, question, None, &options).unwrap();
        assert_eq!(a, mace(&set, question, None, &options).unwrap());
        // Pin the first item to a class other than its truth.
        let wrong = (truth[0] + 1) % OPTIONS.len();
        let known: Known = [("t000".to_owned(), vec![OPTIONS[wrong].to_owned()])]
            .into_iter()
            .collect();
        let pinned = mace(&set, question, Some(&known), &options).unwrap();
        assert_eq!(pinned.label(0), Some((wrong, 1.0)));
        assert!(pinned.pinned[0] && !pinned.pinned[1]);
    }
}
