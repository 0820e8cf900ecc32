"""Compares consensus_cli's output folder with Crowd-Kit and krippendorff (see check.sh)."""

import sys

import krippendorff
import numpy as np
import pandas as pd
from crowdkit.aggregation import MACE, DawidSkene

out, known_path, mode, truth_path = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
answers = pd.read_csv(f"{out}/answers.csv", dtype=str, keep_default_na=False)
ours = pd.read_csv(f"{out}/posteriors.csv", dtype={"class": str, "task": str})
labels = pd.read_csv(f"{out}/consensus.csv", dtype=str, keep_default_na=False)
mace_labels = pd.read_csv(f"{out}/mace.csv", dtype=str, keep_default_na=False)
alphas = pd.read_csv(f"{out}/alpha.csv")
known = pd.read_csv(known_path, dtype=str)
failed = False

for question, data in answers.groupby("question"):
    data = data.rename(columns={"participant": "worker"})[["task", "worker", "label"]]
    gold = known[known.question == question].set_index("task")["label"]
    if mode == "converged":
        ds = DawidSkene(n_iter=10000, tol=0.0)
    else:
        ds = DawidSkene()
    probas = ds.fit_predict_proba(data, true_labels=gold if len(gold) else None)
    theirs = probas.stack().rename("theirs").reset_index()
    theirs.columns = ["task", "class", "theirs"]
    mine = ours[ours.question == question][["task", "class", "probability"]]
    joined = mine.merge(theirs, on=["task", "class"], how="outer")
    # Crowd-Kit floors probabilities at 1e-10 in its output; compare above that.
    joined["theirs"] = joined["theirs"].fillna(0.0)
    joined["probability"] = joined["probability"].fillna(0.0)
    gap = (joined["probability"] - joined["theirs"]).abs().max()
    our_labels = labels[labels.question == question].set_index("task")["label"]
    their_labels = ds.labels_.reindex(our_labels.index)
    differing = int((our_labels != their_labels).sum())
    # Where the top two classes are within 1e-9 the label is a tie either way.
    top2 = probas.apply(lambda row: np.sort(row.values)[-2:], axis=1)
    near_ties = int(sum(1 for pair in top2 if pair[1] - pair[0] < 1e-9))

    codes = {label: code for code, label in enumerate(sorted(data.label.unique()))}
    matrix = data.assign(code=data.label.map(codes)).pivot(index="worker", columns="task", values="code")
    their_alpha = krippendorff.alpha(reliability_data=matrix.to_numpy(dtype=float), level_of_measurement="nominal")
    our_alpha = float(alphas[alphas.question == question].alpha.iloc[0])
    alpha_gap = abs(their_alpha - our_alpha)

    # Crowd-Kit's MACE indexes its strategy counts by sorted worker and label while it
    # reads them by order of appearance; give it workers in sorted order and labels as
    # numbers in order of appearance so both orders agree.
    by_worker = data.sort_values("worker", kind="stable")
    names = list(dict.fromkeys(by_worker.label))
    mace = MACE().fit(by_worker.assign(label=by_worker.label.map({name: code for code, name in enumerate(names)})))
    their_mace = mace.labels_.map(dict(enumerate(names)))
    # Crowd-Kit's MACE takes no known answers: compare on the items without one.
    free = [task for task in our_labels.index if task not in gold.index]
    our_mace = mace_labels[mace_labels.question == question].set_index("task")["label"]
    mace_vs_mace = float((their_mace.reindex(free) == our_mace.reindex(free)).mean())
    ds_vs_mace = float((our_labels.reindex(free) == our_mace.reindex(free)).mean())
    # How often each is right, against the generator's hidden truth (items without a
    # known answer; a multi-select answer's truth is its first option).
    right = truth[truth.question == question].set_index("task")["label"].reindex(free)
    majority = data.groupby("task").label.agg(lambda values: values.value_counts().sort_index(kind="stable").idxmax())
    accuracy = {
        "majority": float((majority.reindex(free) == right).mean()),
        "our DS": float((our_labels.reindex(free) == right).mean()),
        "our MACE": float((our_mace.reindex(free) == right).mean()),
        "Crowd-Kit MACE": float((their_mace.reindex(free) == right).mean()),
    }

    ok = differing == 0 and gap < 1e-6 and alpha_gap < 1e-9
    failed |= not ok and mode == "converged"
    print(
        f"  {question:>20}: {len(our_labels)} items, {data.worker.nunique()} people, {len(codes)} classes, "
        f"{len(gold)} known; labels differing {differing} (near-ties {near_ties}); max posterior gap {gap:.2e} "
        f"(Crowd-Kit iterations {len(ds.loss_history_)}); alpha {our_alpha:.6f} gap {alpha_gap:.2e}; "
        f"MACE labels: ours = Crowd-Kit's on {mace_vs_mace:.3f} of items without a known answer, "
        f"ours = our Dawid-Skene's on {ds_vs_mace:.3f}{'' if ok else '  <-- differs'}"
    )
    print("    right against the truth: " + ", ".join(f"{name} {share:.3f}" for name, share in accuracy.items()))

sys.exit(1 if failed else 0)
