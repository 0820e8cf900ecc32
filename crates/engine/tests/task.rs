//! The task step: the design's checks, the `batch_items` it becomes (checked against
//! Prolific's published spec), Prolific's layout complaints put back on the right
//! question, templates, and setting the batch up on the practice server over real HTTP
//! without ever making a second batch.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::data_step;
use batchdesk_engine::session::SessionError;
use batchdesk_engine::store::Store;
use batchdesk_engine::task::design::{
    ChoiceOption, DataRow, FileUpload, FreeText, FreeTextWithUnit, IssueSection, MultipleChoice,
    Question, QuestionKind, UnitOption, UnitPosition,
};
use batchdesk_engine::task::{ColumnProfile, DataContext, TaskDesign, check, layout, templates};
use batchdesk_engine::task_step::{SetupOutcome, SetupProgress, TaskStepError};
use batchdesk_engine::upload::UploadError;
use batchdesk_engine::wizard;
use batchdesk_openapi_contract::{problems, request_schema};
use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::models::NewBatch;
use batchdesk_prolific::{ApiBase, ProlificError};
use serde_json::json;
use tokio_util::sync::CancellationToken;

fn option(label: &str, exclusive: bool) -> ChoiceOption {
    ChoiceOption {
        label: label.to_owned(),
        value: label.to_lowercase().replace(' ', "_"),
        exclusive,
        heading: String::new(),
    }
}

fn question(description: &str, kind: QuestionKind) -> Question {
    Question {
        key: description.to_owned(),
        description: description.to_owned(),
        helper_text: String::new(),
        kind,
    }
}

/// One question of each of the five types, on the review data's columns.
fn every_kind() -> TaskDesign {
    let mut explained = MultipleChoice {
        options: vec![option("Helpful", false), option("Not helpful", false)],
        answer_limit: 1,
        allow_dropdown: true,
        placeholder: String::new(),
    };
    for choice in &mut explained.options {
        choice.heading = "Why?".to_owned();
    }
    TaskDesign {
        title: "Label product reviews".to_owned(),
        introduction: "<p>Read each review.</p>".to_owned(),
        steps: "<ol><li>Read</li><li>Answer</li></ol>".to_owned(),
        data_rows: vec![
            DataRow {
                columns: vec!["review_text".to_owned()],
            },
            DataRow {
                columns: vec!["product_name".to_owned(), "rating".to_owned()],
            },
        ],
        questions: vec![
            question(
                "Which topics does it mention?",
                QuestionKind::MultipleChoice(MultipleChoice {
                    options: vec![
                        option("Price", false),
                        option("Quality", false),
                        option("None of these", true),
                    ],
                    answer_limit: -1,
                    allow_dropdown: false,
                    placeholder: String::new(),
                }),
            ),
            question(
                "Is the review helpful?",
                QuestionKind::MultipleChoiceWithFreeText(explained),
            ),
            question(
                "Summarise it",
                QuestionKind::FreeText(FreeText {
                    placeholder: "One sentence".to_owned(),
                    min_length: Some(5),
                    max_length: Some(200),
                }),
            ),
            question(
                "How long did you use it?",
                QuestionKind::FreeTextWithUnit(FreeTextWithUnit {
                    placeholder: String::new(),
                    units: vec![
                        UnitOption {
                            label: "days".to_owned(),
                            value: "d".to_owned(),
                        },
                        UnitOption {
                            label: "weeks".to_owned(),
                            value: "w".to_owned(),
                        },
                    ],
                    unit_position: UnitPosition::Suffix,
                    default_unit: Some("d".to_owned()),
                    min_value: Some(0.0),
                    max_value: Some(365.5),
                }),
            ),
            question(
                "Upload a photo of the product, if you have one",
                QuestionKind::FileUpload(FileUpload {
                    accepted_file_types: vec![".jpg".to_owned(), ".PNG".to_owned()],
                    max_file_size_mb: 10,
                    min_file_count: 0,
                    max_file_count: 2,
                }),
            ),
        ],
        tasks_per_group: 4,
        checks: batchdesk_engine::task::checks::QualityChecks::default(),
    }
}

fn reviews_context() -> DataContext {
    DataContext {
        showable: ["id", "review_text", "product_name", "rating"]
            .map(str::to_owned)
            .to_vec(),
        hidden: Vec::new(),
        has_task_groups: false,
        rows: Some(24),
        profiles: vec![
            profile("id", true, 2),
            profile("review_text", false, 120),
            profile("product_name", false, 12),
            profile("rating", true, 1),
        ],
        hidden_filled: Vec::new(),
    }
}

fn profile(name: &str, numbers_only: bool, max_length: u64) -> ColumnProfile {
    ColumnProfile {
        name: name.to_owned(),
        image_links: false,
        numbers_only,
        max_length,
    }
}

fn new_batch(design: &TaskDesign, typed: bool) -> serde_json::Value {
    let items = layout::batch_items(design, typed)
        .iter()
        .map(|page| serde_json::to_value(page).unwrap())
        .collect();
    serde_json::to_value(NewBatch {
        name: "b".to_owned(),
        workspace_id: "6a3f0c2b9e1d4a5b6c7d8e01".to_owned(),
        task_details: batchdesk_prolific::models::TaskDetails {
            task_name: design.title.clone(),
            task_introduction: design.introduction.clone(),
            task_steps: design.steps.clone(),
        },
        dataset_id: Some("0b6f1d0c-7b9a-4a59-9d55-2b1d7c0c4a11".to_owned()),
        batch_items: Some(items),
        auto_sync_enabled: None,
    })
    .unwrap()
}

#[test]
fn a_design_of_every_kind_passes_the_checks_and_its_layout_fits_the_spec() {
    let design = every_kind();
    assert_eq!(check(&design, &reviews_context()), vec![]);
    for typed in [true, false] {
        let body = new_batch(&design, typed);
        let schema = request_schema("post", "/api/v1/data-collection/batches");
        assert_eq!(problems(&schema, &body), Vec::<String>::new(), "{body:#}");
    }
    let body = new_batch(&design, true);
    let rows = &body["batch_items"][0]["rows"];
    // Two lines of data (the second side by side), then the questions in order.
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(
        rows[1]["columns"][1]["items"][0],
        json!({"type": "dataset_field", "field": "rating"})
    );
    let items = &rows[2]["columns"][0]["items"];
    let types: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "multiple_choice",
            "multiple_choice_with_free_text",
            "free_text",
            "free_text_with_unit",
            "file_upload"
        ]
    );
    assert_eq!(items[0]["options"][2]["exclusive"], json!(true));
    assert_eq!(items[0]["disable_dropdown"], json!(true));
    assert_eq!(items[1]["options"][0]["heading"], json!("Why?"));
    assert_eq!(
        items[2]["validation"],
        json!({"type": "string", "min": 5, "max": 200})
    );
    assert_eq!(items[3]["default_unit"], json!("d"));
    assert_eq!(
        items[3]["unit_options"][0]["validation"],
        json!({"type": "number", "min": 0.0, "max": 365.5})
    );
    assert_eq!(items[4]["accepted_file_types"], json!([".jpg", ".png"]));
    // A V3 dataset cannot be referenced: only the questions are sent.
    let untyped = new_batch(&design, false);
    assert_eq!(
        untyped["batch_items"][0]["rows"].as_array().unwrap().len(),
        1
    );
}

#[test]
fn the_checks_speak_plainly_on_the_question_and_field_concerned() {
    let mut design = every_kind();
    design.title = " ".to_owned();
    design.introduction = "<p> </p>".to_owned();
    design.data_rows.push(DataRow {
        columns: vec!["review_text".to_owned(), "missing".to_owned()],
    });
    let QuestionKind::MultipleChoice(choice) = &mut design.questions[0].kind else {
        unreachable!()
    };
    choice.answer_limit = 1;
    let QuestionKind::MultipleChoiceWithFreeText(explained) = &mut design.questions[1].kind else {
        unreachable!()
    };
    explained.options[1].heading.clear();
    explained.answer_limit = 3;
    let QuestionKind::FreeTextWithUnit(unit) = &mut design.questions[3].kind else {
        unreachable!()
    };
    unit.default_unit = Some("months".to_owned());
    let QuestionKind::FileUpload(upload) = &mut design.questions[4].kind else {
        unreachable!()
    };
    upload.min_file_count = 3;
    upload.accepted_file_types.push("pdf".to_owned());
    design.tasks_per_group = 30;

    let issues = check(&design, &reviews_context());
    let on = |section: IssueSection, question: Option<u32>, field: &str| {
        issues
            .iter()
            .filter(|issue| {
                issue.section == section && issue.question == question && issue.field == field
            })
            .map(|issue| issue.message.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(on(IssueSection::Details, None, "title").len(), 1);
    assert_eq!(on(IssueSection::Details, None, "introduction").len(), 1);
    let data = on(IssueSection::Data, None, "dataRows");
    assert!(
        data.iter()
            .any(|m| m.contains("no column called \"missing\"")),
        "{data:?}"
    );
    assert!(data.iter().any(|m| m.contains("shown twice")), "{data:?}");
    assert!(on(IssueSection::Questions, Some(0), "options")[0].contains("none of these"));
    assert!(on(IssueSection::Questions, Some(1), "options")[0].contains("Option 2 needs a title"));
    assert!(on(IssueSection::Questions, Some(1), "answerLimit")[0].contains("only 2 options"));
    assert_eq!(on(IssueSection::Questions, Some(3), "defaultUnit").len(), 1);
    assert!(on(IssueSection::Questions, Some(4), "minFileCount")[0].contains("at least 3"));
    assert!(on(IssueSection::Questions, Some(4), "acceptedFileTypes")[0].contains("\"pdf\""));
    assert!(on(IssueSection::Setup, None, "tasksPerGroup")[0].contains("24 rows"));
    // A META_TASK_GROUP_ID column decides the groups: the number is not checked.
    let grouped = DataContext {
        has_task_groups: true,
        ..reviews_context()
    };
    assert!(
        check(&design, &grouped)
            .iter()
            .all(|issue| issue.section != IssueSection::Setup)
    );
}

#[tokio::test]
async fn prolifics_layout_complaints_land_on_the_question_they_concern() {
    let server = PracticeServer::start(PracticeConfig::default())
        .await
        .unwrap();
    let client = batchdesk_prolific::Client::new(
        ApiBase::parse(&server.base_url()).unwrap(),
        &batchdesk_prolific::ApiToken::new(server.token()),
    )
    .unwrap();
    // Past our own checks, as if a rule changed on Prolific's side: the third
    // question's default unit is not a unit, and the second allows too many answers.
    let mut design = every_kind();
    let QuestionKind::FreeTextWithUnit(unit) = &mut design.questions[3].kind else {
        unreachable!()
    };
    unit.default_unit = Some("months".to_owned());
    let QuestionKind::MultipleChoiceWithFreeText(explained) = &mut design.questions[1].kind else {
        unreachable!()
    };
    explained.answer_limit = 5;
    let items = layout::batch_items(&design, false)
        .iter()
        .map(|page| serde_json::to_value(page).unwrap())
        .collect();
    let refused = client
        .create_batch(&NewBatch {
            name: "refused".to_owned(),
            workspace_id: PracticeConfig::default().workspace.id,
            task_details: batchdesk_prolific::models::TaskDetails {
                task_name: "t".to_owned(),
                task_introduction: "<p>i</p>".to_owned(),
                task_steps: "<p>s</p>".to_owned(),
            },
            dataset_id: None,
            batch_items: Some(items),
            auto_sync_enabled: None,
        })
        .await
        .unwrap_err();
    let ProlificError::Validation { issues, .. } = refused else {
        panic!("expected INVALID_BATCH_ITEMS, got {refused:?}")
    };
    let located: Vec<_> = issues
        .iter()
        .map(|issue| layout::locate(issue, &design, false))
        .collect();
    let places: Vec<_> = located
        .iter()
        .map(|issue| (issue.section, issue.question, issue.field.as_str()))
        .collect();
    assert!(
        places.contains(&(IssueSection::Questions, Some(1), "answerLimit")),
        "{located:#?}"
    );
    assert!(
        places.contains(&(IssueSection::Questions, Some(3), "defaultUnit")),
        "{located:#?}"
    );
    assert!(
        located
            .iter()
            .all(|issue| issue.message.to_string().starts_with("Prolific says: "))
    );
}

#[test]
fn built_in_templates_fit_any_data_and_files_round_trip_safely() {
    let listed = templates::built_in();
    assert_eq!(listed.len(), 5, "{listed:?}");
    for template in &listed {
        let applied = templates::apply_built_in(&template.id, &reviews_context()).unwrap();
        assert!(!applied.design.data_rows.is_empty(), "{}", template.id);
        let issues = check(&applied.design, &reviews_context());
        assert_eq!(issues, vec![], "{} is ready to use", template.id);
        let body = new_batch(&applied.design, true);
        let schema = request_schema("post", "/api/v1/data-collection/batches");
        assert_eq!(problems(&schema, &body), Vec::<String>::new());
    }
    // The sentiment template's "text" is not in the review data: the longest text stands
    // in for it, alone (not the id, nor the rating that would bias the judgement), and
    // the researcher is asked to confirm.
    let sentiment = templates::apply_built_in("sentiment", &reviews_context()).unwrap();
    let shown: Vec<_> = sentiment
        .design
        .data_rows
        .iter()
        .map(|row| row.columns.clone())
        .collect();
    assert_eq!(shown, vec![vec!["review_text".to_owned()]]);
    assert_eq!(sentiment.column_choices.len(), 1);
    assert_eq!(sentiment.column_choices[0].template_column, "text");
    assert_eq!(sentiment.column_choices[0].chosen, "review_text");
    assert!(sentiment.layout_notes.is_empty());
    // The preference template needs three texts; the data has two: each is used once, the
    // third is left out and said so. Numbers and ids are never guessed as text.
    let preference = templates::apply_built_in("preference", &reviews_context()).unwrap();
    let shown: Vec<_> = preference
        .design
        .data_rows
        .iter()
        .map(|row| row.columns.clone())
        .collect();
    assert_eq!(
        shown,
        vec![
            vec!["review_text".to_owned()],
            vec!["product_name".to_owned()]
        ]
    );
    assert!(
        preference.layout_notes[0]
            .to_string()
            .contains("\"response_b\""),
        "{:?}",
        preference.layout_notes
    );
    // Only the names known (no profiles): nothing is guessed; every column is shown, said so.
    let names_only = DataContext {
        profiles: Vec::new(),
        ..reviews_context()
    };
    let unguessed = templates::apply_built_in("sentiment", &names_only).unwrap();
    assert_eq!(unguessed.design.data_rows.len(), 4);
    assert!(
        unguessed.layout_notes[0]
            .to_string()
            .contains("all your columns are shown instead")
    );
    // An image template finds the data's column of image links.
    let images = DataContext {
        showable: vec!["id".to_owned(), "photo_link".to_owned()],
        profiles: vec![
            profile("id", true, 2),
            ColumnProfile {
                image_links: true,
                ..profile("photo_link", false, 40)
            },
        ],
        ..reviews_context()
    };
    let labels = templates::apply_built_in("image-labels", &images).unwrap();
    let shown: Vec<_> = labels
        .design
        .data_rows
        .iter()
        .map(|row| row.columns.clone())
        .collect();
    assert_eq!(shown, vec![vec!["photo_link".to_owned()]]);

    let dir = batchdesk_test_support::temp_folder();
    let path = dir.path().join("my task.json");
    let mut design = every_kind();
    design.introduction =
        "<p>Hi<img src=x onerror=\"alert(1)\"><script>alert(2)</script></p>".to_owned();
    templates::save(&path, "Reviews", &design).unwrap();
    let opened = templates::open(&path, &reviews_context()).unwrap();
    assert_eq!(opened.name, "Reviews");
    assert_eq!(opened.design.introduction, "<p>Hi</p>");
    assert_eq!(opened.design.questions.len(), 5);
    assert_eq!(opened.design.data_rows, design.data_rows);

    let newer = dir.path().join("newer.json");
    std::fs::write(
        &newer,
        r#"{"format": "batchdesk-task-template", "version": 3, "name": "x", "design": {}}"#,
    )
    .unwrap();
    let error = templates::open(&newer, &reviews_context()).unwrap_err();
    assert!(error.to_string().contains("newer Batchdesk"), "{error}");
    let other = dir.path().join("other.json");
    std::fs::write(&other, r#"{"hello": "world"}"#).unwrap();
    let error = templates::open(&other, &reviews_context()).unwrap_err();
    assert!(error.to_string().contains("not a Batchdesk task template"));
}

/// A file saved by a Batchdesk that wrote version 1 (question types as Prolific spells
/// them) opens as it was saved: every kind of question, with its settings.
#[test]
fn a_template_file_of_version_1_opens_with_every_question_as_saved() {
    let dir = batchdesk_test_support::temp_folder();
    let path = dir.path().join("colleague.json");
    let design = every_kind();
    templates::save(&path, "From a colleague", &design).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    let mut file: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(file["version"], json!(2));
    file["version"] = json!(1);
    let earlier_types = [
        "multiple_choice",
        "multiple_choice_with_free_text",
        "free_text",
        "free_text_with_unit",
        "file_upload",
    ];
    for (question, earlier) in file["design"]["questions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(earlier_types)
    {
        question["kind"]["type"] = json!(earlier);
    }
    std::fs::write(&path, file.to_string()).unwrap();

    let opened = templates::open(&path, &reviews_context()).unwrap();
    let kinds: Vec<_> = opened
        .design
        .questions
        .iter()
        .map(|question| question.kind.clone())
        .collect();
    let saved_kinds: Vec<_> = design
        .questions
        .iter()
        .map(|question| question.kind.clone())
        .collect();
    assert_eq!(kinds, saved_kinds);
}

async fn practising(dir: &Path) -> Connections {
    support::practising(
        dir,
        PracticeConfig {
            processing_delay: Duration::ZERO,
            ..PracticeConfig::default()
        },
    )
    .await
}

/// Practice mode whose workspace is set up as `workspace` says.
async fn practising_in(
    dir: &Path,
    workspace: batchdesk_practice::PracticeWorkspace,
) -> Connections {
    support::practising(
        dir,
        PracticeConfig {
            processing_delay: Duration::ZERO,
            workspace,
            ..PracticeConfig::default()
        },
    )
    .await
}

async fn uploaded(connections: &Connections, file: &str) {
    let path = support::sample(file);
    wizard::choose_file(connections, path.clone(), path)
        .await
        .unwrap();
    wizard::upload_data(connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
}

async fn batch_count(connections: &Connections) -> usize {
    let (_, client) = connections.client().await.unwrap();
    let workspace = PracticeConfig::default().workspace.id;
    client.batches(&workspace).await.unwrap().items.len()
}

#[tokio::test]
async fn the_batch_is_set_up_on_a_typed_dataset_once_and_reused() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising(dir.path()).await;
    uploaded(&connections, "reviews.csv").await;
    assert!(wizard::data_draft(&connections).await.unwrap().typed);
    let data = support::task_data(&connections).await;
    assert_eq!(data.row_count, 24);
    assert!(data.typed);
    assert_eq!(data.preview.rows.len(), 24);
    let context = data.context();

    let design = every_kind();
    let checked = wizard::save_design(&connections, design.clone(), &context)
        .await
        .unwrap();
    assert_eq!(checked.issues, vec![]);
    let stages = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stages);
    let outcome = wizard::set_up(
        &connections,
        &context,
        None,
        move |stage| seen.lock().unwrap().push(stage),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let SetupOutcome::Ready(ready) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(ready.total_tasks, Some(24), "one task per row");
    assert_eq!(ready.total_groups, Some(6), "24 rows, 4 per sitting");
    let stages = stages.lock().unwrap().clone();
    assert!(matches!(stages[0], SetupProgress::Creating));
    assert!(matches!(stages.last(), Some(SetupProgress::Ready { .. })));

    // The same design again: the same batch, nothing made.
    let again = support::setting_up(&connections, &context).await.unwrap();
    assert_eq!(again, SetupOutcome::Ready(ready.clone()));
    assert_eq!(batch_count(&connections).await, 1);

    // A changed design after setup: a new batch, set up with the new grouping.
    let mut changed = design;
    changed.tasks_per_group = 12;
    wizard::save_design(&connections, changed, &context)
        .await
        .unwrap();
    let SetupOutcome::Ready(regrouped) = support::setting_up(&connections, &context).await.unwrap()
    else {
        panic!()
    };
    assert_ne!(regrouped.batch_id, ready.batch_id);
    assert_eq!(regrouped.total_groups, Some(2));
    assert_eq!(batch_count(&connections).await, 2);
}

#[tokio::test]
async fn a_batch_made_before_a_crash_is_found_by_name_not_made_again() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising(dir.path()).await;
    uploaded(&connections, "reviews.csv").await;
    let context = support::task_context(&connections).await;
    wizard::save_design(&connections, every_kind(), &context)
        .await
        .unwrap();
    support::setting_up(&connections, &context).await.unwrap();
    // As if the app died after Prolific made the batch but before its id was kept.
    let store = Store::open_in_dir(dir.path()).unwrap();
    let mode = batchdesk_engine::connection::AccountMode::Practice;
    let mut draft = wizard::record::load(&store, mode)
        .map(|wizard| wizard.task)
        .unwrap();
    let record = draft.batch.as_mut().unwrap();
    let made = record.batch_id.take().unwrap();
    record.ready = None;
    wizard::record::update(&store, mode, |wizard| wizard.task = draft).unwrap();

    let outcome = support::setting_up(&connections, &context).await.unwrap();
    let SetupOutcome::Ready(ready) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(ready.batch_id, made);
    assert_eq!(batch_count(&connections).await, 1);
}

#[tokio::test]
async fn invalid_designs_are_refused_before_anything_is_made() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising(dir.path()).await;
    uploaded(&connections, "grouped.csv").await;
    let data = support::task_data(&connections).await;
    assert!(data.has_task_groups);
    let context = data.context();
    assert!(context.hidden.contains(&"META_source".to_owned()));
    let mut design = every_kind();
    design.data_rows = vec![DataRow {
        columns: vec!["META_source".to_owned()],
    }];
    wizard::save_design(&connections, design, &context)
        .await
        .unwrap();
    let outcome = support::setting_up(&connections, &context).await.unwrap();
    let SetupOutcome::Invalid { issues } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(
        issues
            .iter()
            .any(|issue| issue.message.to_string().contains("META_")),
        "{issues:?}"
    );
    assert_eq!(batch_count(&connections).await, 0);
}

#[test]
fn the_schema_follows_the_columns_the_csv_doctor_read() {
    use batchdesk_engine::csv_doctor::{InspectOptions, inspect};
    use batchdesk_prolific::models::FieldType;
    let kinds = |file: &str| {
        let report = inspect(
            Path::new(&support::sample(file)),
            &InspectOptions::default(),
        )
        .unwrap();
        let schema = data_step::schema_for(&report.columns).unwrap();
        assert!(
            !schema.strict,
            "an empty cell is an absent value, not a refused row"
        );
        schema
            .fields
            .into_iter()
            .map(|(name, field)| (name, field.kind))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let grouped = kinds("grouped.csv");
    assert_eq!(grouped["review_text"], FieldType::Text);
    assert_eq!(grouped["META_TASK_GROUP_ID"], FieldType::TaskGroupId);
    assert_eq!(grouped["META_source"], FieldType::Metadata);
    let images = kinds("images.csv");
    // Mostly image links (one http, one not a link: the doctor warns about those).
    assert_eq!(images["image_url"], FieldType::ImageUrl);
    assert_eq!(images["id"], FieldType::Text);
}

#[tokio::test]
async fn a_workspace_without_typed_datasets_is_told_so_and_gets_no_dataset_its_people_could_not_see()
 {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising_in(
        dir.path(),
        batchdesk_practice::PracticeWorkspace {
            typed_datasets: false,
            ..batchdesk_practice::PracticeWorkspace::default()
        },
    )
    .await;
    let path = support::sample("reviews.csv");
    wizard::choose_file(&connections, path.clone(), path)
        .await
        .unwrap();
    let refused = wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            data_step::DataStepError::Upload(UploadError::TypedRefused { .. })
        ),
        "{refused:?}"
    );
    assert!(
        refused.to_string().contains("Nothing has been spent"),
        "{refused}"
    );
    let draft = wizard::data_draft(&connections).await.unwrap();
    assert!(!draft.ready);
    assert_eq!(draft.dataset_id, None, "no untyped dataset in its place");
}

#[tokio::test]
async fn a_classic_dataset_from_an_earlier_version_is_never_given_a_layout_without_its_data() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising(dir.path()).await;
    uploaded(&connections, "reviews.csv").await;
    // As an earlier Batchdesk left it: the same data, recorded as an untyped dataset.
    let store = connections.store();
    let mode = batchdesk_engine::connection::AccountMode::Practice;
    let mut draft = wizard::record::load(store, mode)
        .map(|wizard| wizard.data)
        .unwrap();
    draft.typed = false;
    wizard::record::update(store, mode, |wizard| wizard.data = draft).unwrap();
    let context = support::task_context(&connections).await;
    wizard::save_design(&connections, every_kind(), &context)
        .await
        .unwrap();
    let refused = support::setting_up(&connections, &context)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, TaskStepError::UntypedDataset),
        "{refused:?}"
    );
    assert_eq!(batch_count(&connections).await, 0, "no batch was made");
}

#[tokio::test]
async fn a_workspace_that_refuses_layouts_is_told_so_and_nothing_goes_through_sunset_endpoints() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = practising_in(
        dir.path(),
        batchdesk_practice::PracticeWorkspace {
            batch_layouts: false,
            ..batchdesk_practice::PracticeWorkspace::default()
        },
    )
    .await;
    uploaded(&connections, "reviews.csv").await;
    let context = support::task_context(&connections).await;
    wizard::save_design(&connections, every_kind(), &context)
        .await
        .unwrap();
    let refused = support::setting_up(&connections, &context)
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            TaskStepError::Session(SessionError::Prolific(ProlificError::Validation { .. }))
        ),
        "{refused:?}"
    );
    // No batch without its questions was made, and the legacy instructions endpoints
    // (sunset on 2026-09-01) were never called: they answer with deprecation headers,
    // which the client would have recorded.
    assert_eq!(batch_count(&connections).await, 0);
    let (_, client) = connections.client().await.unwrap();
    assert_eq!(client.warnings(), Vec::new());
}
