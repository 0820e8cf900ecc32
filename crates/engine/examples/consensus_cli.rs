//! Model-based consensus from the command line.
//!
//! `cargo run -p batchdesk-engine --example consensus_cli -- <package|responses.json|export.zip|responses.jsonl> <out-dir> [--known known.csv] [--max-iterations N] [--tolerance T]`
//!
//! Reads the answers with the app's own readers, or a reproducibility package the app
//! saved (the ZIP or the folder it unpacks to: the answers as counted, the known answers
//! and every option and seed, so the figures are the app's to the last bit), and writes
//! into `<out-dir>`: `consensus.csv` (question, task, label, confidence, method:
//! Dawid-Skene), `mace.csv` (the same by MACE), `annotators.csv` (question, participant,
//! Dawid-Skene's reliability, MACE's competence), `posteriors.csv` (question, task, class,
//! Dawid-Skene's probability), `answers.csv` (question, task, participant, label: what was
//! read) and `alpha.csv` (question, Krippendorff's alpha for nominal data, its 95 %
//! bootstrap interval and the resamples). `known.csv` (question, task, label) pins those
//! items to their known answers.
//!
//! `consensus_cli --generate <seed> <responses.jsonl> [truth.csv]` writes a deterministic test set
//! (several questions: balanced and unbalanced labels, missing answers, a person who
//! answers at random, a multi-select question) for the Crowd-Kit parity check
//! (`crates/engine/tests/parity/check.sh`), and each item's hidden truth (question, task,
//! label) when asked.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use batchdesk_engine::analysis::consensus::DAWID_SKENE;
use batchdesk_engine::analysis::consensus::mace::MACE;
use batchdesk_engine::analysis::recompute::{
    AnalysisSettings, RecomputeInput, is_package, read_known_csv, recompute,
};
use batchdesk_engine::analysis::{
    AnswerValue, ResponseSet, read_export_zip, read_responses_json, read_responses_jsonl,
};

type Failure = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = if args.first().map(String::as_str) == Some("--generate") {
        generate(&args[1..])
    } else {
        run(&args)
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("consensus_cli: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut known_path = None;
    let mut max_iterations = None;
    let mut tolerance = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--known" => known_path = Some(PathBuf::from(value()?)),
            "--max-iterations" => max_iterations = Some(value()?.parse()?),
            "--tolerance" => tolerance = Some(value()?.parse()?),
            _ => positional.push(arg.clone()),
        }
    }
    let [input, out] = &positional[..] else {
        return Err(
            "usage: consensus_cli <package|responses.json|export.zip|responses.jsonl> <out-dir> \
             [--known known.csv] [--max-iterations N] [--tolerance T]"
                .into(),
        );
    };
    let input = Path::new(input);
    let mut input = if is_package(input) {
        RecomputeInput::open_package(input)?
    } else {
        RecomputeInput {
            set: read(input)?,
            known: HashMap::new(),
            settings: AnalysisSettings::current(),
        }
    };
    if let Some(path) = known_path {
        input.known = read_known_csv(File::open(path)?)?;
    }
    if let Some(max_iterations) = max_iterations {
        input.settings.consensus.dawid_skene.max_iterations = max_iterations;
    }
    if let Some(tolerance) = tolerance {
        input.settings.consensus.dawid_skene.tolerance = tolerance;
    }
    let set = &input.set;
    let out = Path::new(out);
    std::fs::create_dir_all(out)?;
    let mut consensus = csv::Writer::from_path(out.join("consensus.csv"))?;
    consensus.write_record(["question", "task", "label", "confidence", "method"])?;
    let mut annotators = csv::Writer::from_path(out.join("annotators.csv"))?;
    annotators.write_record(["question", "participant", "reliability", "competence"])?;
    let mut mace_labels = csv::Writer::from_path(out.join("mace.csv"))?;
    mace_labels.write_record(["question", "task", "label", "confidence", "method"])?;
    let mut posteriors = csv::Writer::from_path(out.join("posteriors.csv"))?;
    posteriors.write_record(["question", "task", "class", "probability"])?;
    let mut answers = csv::Writer::from_path(out.join("answers.csv"))?;
    answers.write_record(["question", "task", "participant", "label"])?;
    let mut alphas = csv::Writer::from_path(out.join("alpha.csv"))?;
    alphas.write_record(["question", "alpha", "low", "high", "resamples"])?;
    let text = |value: Option<f64>| value.map(|value| value.to_string()).unwrap_or_default();
    for figures in recompute(&input) {
        let Some(question) = set
            .questions()
            .iter()
            .find(|question| question.id == figures.question_id)
        else {
            continue;
        };
        for item in &figures.items {
            consensus.write_record([
                question.id.as_str(),
                &item.task_id,
                &item.label,
                &item.confidence.to_string(),
                DAWID_SKENE,
            ])?;
            mace_labels.write_record([
                question.id.as_str(),
                &item.task_id,
                &item.mace_label,
                &item.mace_confidence.to_string(),
                MACE,
            ])?;
        }
        if let (Some(fit), Some(by_mace)) = (&figures.dawid_skene, &figures.mace) {
            for (index, &item) in fit.items.iter().enumerate() {
                for (class, probability) in fit.posterior(index).iter().enumerate() {
                    posteriors.write_record([
                        question.id.as_str(),
                        set.task_id(item),
                        &fit.classes[class],
                        &probability.to_string(),
                    ])?;
                }
            }
            // Both models list the same people in the same order.
            for ((person, reliability), competence) in fit
                .participants
                .iter()
                .zip(&fit.reliability)
                .zip(&by_mace.competence)
            {
                annotators.write_record([
                    question.id.as_str(),
                    set.participant_id(*person),
                    &reliability.to_string(),
                    &competence.to_string(),
                ])?;
            }
            println!(
                "{}: {} items, {} people, {} classes, {} iterations{}",
                question.id,
                fit.items.len(),
                fit.participants.len(),
                fit.classes.len(),
                fit.iterations,
                if fit.converged {
                    ""
                } else {
                    " (not converged)"
                }
            );
        }
        for answer in &question.answers {
            if let AnswerValue::Choice { set: chosen, .. } = answer.value {
                answers.write_record([
                    question.id.as_str(),
                    set.task_id(answer.item),
                    set.participant_id(answer.participant),
                    &set.choice_label(chosen),
                ])?;
            }
        }
        alphas.write_record([
            question.id.clone(),
            text(figures.alpha),
            text(figures.interval.map(|interval| interval.low)),
            text(figures.interval.map(|interval| interval.high)),
            figures
                .interval
                .map(|interval| interval.resamples.to_string())
                .unwrap_or_default(),
        ])?;
    }
    for writer in [
        consensus,
        mace_labels,
        annotators,
        posteriors,
        answers,
        alphas,
    ] {
        writer
            .into_inner()
            .map_err(|error| error.to_string())?
            .flush()?;
    }
    Ok(())
}

fn read(path: &Path) -> Result<ResponseSet, Failure> {
    let name = path.to_string_lossy().to_lowercase();
    let file = File::open(path)?;
    Ok(if name.ends_with(".zip") {
        read_export_zip(BufReader::new(file))?.responses
    } else if name.ends_with(".jsonl") {
        read_responses_jsonl(BufReader::new(file))?
    } else {
        read_responses_json(file)?
    })
}

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1_u64 << 53) as f64
    }

    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut roll = self.next() * total;
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        weights.len() - 1
    }
}

/// One generated question: its options, how often each is the truth, how many people,
/// the share of answers left out, and each person's accuracy.
struct Shape {
    id: &'static str,
    options: &'static [&'static str],
    truth_weights: &'static [f64],
    items: usize,
    people: usize,
    per_item: usize,
    missing: f64,
    multi: bool,
}

const SHAPES: [Shape; 4] = [
    Shape {
        id: "balanced",
        options: &["a", "b", "c"],
        truth_weights: &[1.0, 1.0, 1.0],
        items: 300,
        people: 12,
        per_item: 5,
        missing: 0.0,
        multi: false,
    },
    Shape {
        id: "unbalanced_missing",
        options: &["common", "rare", "rarer", "rarest"],
        truth_weights: &[0.8, 0.12, 0.06, 0.02],
        items: 400,
        people: 20,
        per_item: 6,
        missing: 0.3,
        multi: false,
    },
    Shape {
        id: "binary_sparse",
        options: &["yes", "no"],
        truth_weights: &[0.3, 0.7],
        items: 250,
        people: 40,
        per_item: 3,
        missing: 0.2,
        multi: false,
    },
    Shape {
        id: "multi_select",
        options: &["x", "y", "z"],
        truth_weights: &[0.5, 0.3, 0.2],
        items: 200,
        people: 10,
        per_item: 4,
        missing: 0.1,
        multi: true,
    },
];

fn generate(args: &[String]) -> Result<(), Failure> {
    let (seed, path, truth_path) = match args {
        [seed, path] => (seed, path, None),
        [seed, path, truth] => (seed, path, Some(truth)),
        _ => {
            return Err(
                "usage: consensus_cli --generate <seed> <responses.jsonl> [truth.csv]".into(),
            );
        }
    };
    let mut rng = Lcg(seed.parse()?);
    let mut out = BufWriter::new(File::create(path)?);
    let mut truths = truth_path.map(csv::Writer::from_path).transpose()?;
    if let Some(truths) = truths.as_mut() {
        truths.write_record(["question", "task", "label"])?;
    }
    for shape in &SHAPES {
        // Accuracy per person: most good, some poor, one who answers at random.
        let accuracy: Vec<f64> = (0..shape.people)
            .map(|person| match person % 6 {
                0 => 1.0 / shape.options.len() as f64,
                1 => 0.55,
                _ => 0.7 + 0.28 * rng.next(),
            })
            .collect();
        for item in 0..shape.items {
            let truth = rng.pick(shape.truth_weights);
            if let Some(truths) = truths.as_mut() {
                let task = format!("{}-t{item:04}", shape.id);
                truths.write_record([shape.id, task.as_str(), shape.options[truth]])?;
            }
            let first = (item * 7) % shape.people;
            for slot in 0..shape.per_item {
                if rng.next() < shape.missing {
                    continue;
                }
                let person = (first + slot) % shape.people;
                let mut value = truth;
                if rng.next() > accuracy[person] {
                    value = rng.pick(&vec![1.0; shape.options.len()]);
                }
                let mut answer = format!("{{\"value\":\"{}\"}}", shape.options[value]);
                if shape.multi && rng.next() < 0.2 {
                    let extra = (value + 1) % shape.options.len();
                    answer.push_str(&format!(",{{\"value\":\"{}\"}}", shape.options[extra]));
                }
                writeln!(
                    out,
                    "{{\"task_id\":\"{}-t{item:04}\",\"participant_id\":\"p{person:03}\",\
                     \"response\":{{\"instruction_id\":\"{}\",\"type\":\"multiple_choice\",\
                     \"answer\":[{answer}]}}}}",
                    shape.id, shape.id
                )?;
            }
        }
    }
    out.flush()?;
    if let Some(truths) = truths {
        truths
            .into_inner()
            .map_err(|error| error.to_string())?
            .flush()?;
    }
    Ok(())
}
