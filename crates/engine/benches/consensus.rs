//! How fast the model-based consensus and the agreement between people run on a large
//! study, and how much memory they need: Dawid-Skene, MACE, Krippendorff's alpha and the
//! participant × participant agreement with the option coincidences on 1,000,000
//! answers (100,000 items
//! × 10 people, from a pool of 1,000, with 4 classes of unbalanced frequency; one person
//! in ten answers at random). Reports each one's wall time and the peak memory (VmHWM,
//! Linux only) before and after. Run it in release mode:
//!
//! `cargo bench -p batchdesk-engine --bench consensus`
//!
//! Then, apart, what the agreement panel does besides: the answers' fingerprint (which
//! finds a kept bootstrap interval) and the interval itself, worked out on a click.
//!
//! `CONSENSUS_BENCH_ITEMS`, `CONSENSUS_BENCH_PEOPLE_PER_ITEM` change the size.
//! Target: all of it together under 2 s and the whole process under 500 MB.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Lcg, peak_memory};

use std::time::Instant;

use batchdesk_engine::analysis::bootstrap::{RESAMPLES, alpha_interval, choice_item_counts};
use batchdesk_engine::analysis::consensus::mace::{MaceOptions, mace};
use batchdesk_engine::analysis::consensus::{ConsensusOptions, dawid_skene};
use batchdesk_engine::analysis::pairwise::{Coincidences, pair_agreement};
use batchdesk_engine::analysis::recompute::BOOTSTRAP_SEED;
use batchdesk_engine::analysis::{
    AnswerValue, NewAnswer, QuestionKind, ResponseSetBuilder, nominal_alpha,
};
use batchdesk_engine::results::answers_fingerprint;

const CLASSES: [&str; 4] = ["relevant", "partly", "off_topic", "spam"];
const TRUTH_WEIGHTS: [u64; 4] = [40, 30, 20, 10];
const POOL: u64 = 1_000;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let items = env_number("CONSENSUS_BENCH_ITEMS", 100_000);
    let per_item = env_number("CONSENSUS_BENCH_PEOPLE_PER_ITEM", 10);
    let started = Instant::now();
    let mut rng = Lcg(7);
    // Accuracy per person in hundredths: one in ten answers at random.
    let accuracy: Vec<u64> = (0..POOL)
        .map(|person| {
            if person % 10 == 0 {
                25
            } else {
                60 + rng.below(38)
            }
        })
        .collect();
    let people: Vec<String> = (0..POOL).map(|person| format!("p{person:04}")).collect();
    let mut builder = ResponseSetBuilder::new();
    for item in 0..items {
        let task = format!("t{item:06}");
        let mut roll = rng.below(100);
        let truth = TRUTH_WEIGHTS
            .iter()
            .position(|&weight| {
                let hit = roll < weight;
                roll = roll.saturating_sub(weight);
                hit
            })
            .unwrap_or(0);
        // Ten people in a row of the pool, starting where the item says.
        let first = item * 37 % POOL;
        for slot in 0..per_item {
            let person = ((first + slot) % POOL) as usize;
            let answer = if rng.below(100) < accuracy[person] {
                truth
            } else {
                rng.below(CLASSES.len() as u64) as usize
            };
            builder.add(
                &task,
                "q",
                QuestionKind::MultipleChoice,
                &people[person],
                NewAnswer::Choice {
                    values: &[CLASSES[answer]],
                    explanations: &[],
                },
            );
        }
    }
    let set = builder.finish();
    let question = &set.questions()[0];
    println!(
        "built {} answers ({items} items × {per_item} people from a pool of {POOL}, {} classes) in {:.2} s; peak memory so far {}",
        question.answers.len(),
        CLASSES.len(),
        started.elapsed().as_secs_f64(),
        peak_memory()
    );

    let all = Instant::now();
    let started = Instant::now();
    let fit = dawid_skene(&set, question, None, &ConsensusOptions::default()).expect("a fit");
    println!(
        "Dawid-Skene: {:.2} s, {} iterations{}; peak memory {}",
        started.elapsed().as_secs_f64(),
        fit.iterations,
        if fit.converged {
            ""
        } else {
            " (not converged)"
        },
        peak_memory()
    );
    let started = Instant::now();
    let second = mace(&set, question, None, &MaceOptions::default()).expect("a fit");
    println!(
        "MACE: {:.2} s, {} iterations{}; peak memory {}",
        started.elapsed().as_secs_f64(),
        second.iterations,
        if second.converged {
            ""
        } else {
            " (not converged)"
        },
        peak_memory()
    );
    let started = Instant::now();
    let values: Vec<Vec<u32>> = question
        .answers
        .chunk_by(|a, b| a.item == b.item)
        .map(|run| {
            run.iter()
                .filter_map(|answer| match answer.value {
                    AnswerValue::Choice { set, .. } => Some(set.0),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let alpha = nominal_alpha(&values).expect("alpha");
    println!(
        "Krippendorff's alpha: {alpha:.4} in {:.2} s; peak memory {}",
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
    let started = Instant::now();
    let pairs = pair_agreement(question);
    let coincidences = Coincidences::of(question);
    println!(
        "agreement between people: {} pairs who shared items, coincidence alpha {:.4}, in {:.2} s; peak memory {}",
        pairs.len(),
        coincidences.alpha().unwrap_or(f64::NAN),
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
    let same = (0..fit.items.len())
        .filter(|&index| fit.label(index).map(|(c, _)| c) == second.label(index).map(|(c, _)| c))
        .count();
    println!(
        "all together: {:.2} s; the two models agree on {:.1} % of items; peak memory {}",
        all.elapsed().as_secs_f64(),
        100.0 * same as f64 / fit.items.len() as f64,
        peak_memory()
    );
    // The agreement panel opens with the above; the answers' fingerprint finds a kept
    // interval, and only a click works one out.
    let started = Instant::now();
    let fingerprint = answers_fingerprint(&set);
    println!(
        "answers' fingerprint (keys the kept interval): {:.2} s ({fingerprint})",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let interval = alpha_interval(&choice_item_counts(question), RESAMPLES, BOOTSTRAP_SEED)
        .expect("an interval");
    println!(
        "bootstrap interval on the researcher's click ({RESAMPLES} resamples): {:.4} to {:.4} in {:.2} s; peak memory {}",
        interval.low,
        interval.high,
        started.elapsed().as_secs_f64(),
        peak_memory()
    );
}
