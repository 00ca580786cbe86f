#!/usr/bin/env python3
# tests/data/merge/make-fixtures.py — writes the hand-made night folders under tests/data/merge/basic/
# that tests/cli/20_merge.sh merges (night.json exactly as docs/DEVELOPING.md fixes it, epochs.csv as
# SPEC §2). The values are chosen so the report can be checked by hand (see 20_merge.sh).
# Re-run only on purpose: python3 tests/data/merge/make-fixtures.py
import json, os

KEYS = ["TIB", "SPT", "WASO", "TST", "N1", "N2", "N3", "REM", "NREM",
        "pct_N1", "pct_N2", "pct_N3", "pct_REM", "pct_NREM",
        "SOL", "SOL_5min", "SFI", "Lat_N1", "Lat_N2", "Lat_N3", "Lat_REM", "SE", "SME",
        "OA", "CA", "MA", "A", "H", "RERA", "AHI", "RDI", "OAHI", "CAI", "severity",
        "supine_pct", "AHI_supine", "AHI_nonsupine", "positional"]
HERE = os.path.dirname(os.path.abspath(__file__))
STAGES = ["W", "N1", "N2", "N3", "R", "?"]


def scores(tst, waso, se, ahi, severity, positional, sleep=True):
    s = {k: 1.5 for k in KEYS}
    s.update({"TIB": 8.0, "SPT": tst + waso, "WASO": waso, "TST": tst, "SE": se, "SOL_5min": None,
              "OA": 2, "CA": 0, "MA": 0, "A": 0, "H": 1, "RERA": 0, "AHI": ahi, "RDI": ahi,
              "OAHI": ahi, "CAI": 0, "severity": severity, "positional": positional,
              "AHI_supine": None})
    if not sleep:
        for k in KEYS[:23]:
            s[k] = None
    return {k: s[k] for k in KEYS}


def epochs_rows(night, stages_label, stages_pred):
    rows = ["night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred"]
    for i, (l, p) in enumerate(zip(stages_label, stages_pred)):
        rows.append(f"{night},{i},{i * 30},{l},{p},supine,{0.25 if i % 2 else ''},{'OA' if i == 3 else ''},")
    return "\n".join(rows) + "\n"


def confusion(stages_label, stages_pred):
    m = [[0] * 6 for _ in range(6)]
    for l, p in zip(stages_label, stages_pred):
        m[STAGES.index(l)][STAGES.index(p if p else "?")] += 1
    return m


EVENT_KEYS = ["AH", "OA", "CA", "MA", "A", "H", "RERA"]


def agreement(tp, fp, fn, mae):
    """event_agreement: every event is an OA, so AH and OA agree; the other classes are empty."""
    def ratio(a, b):
        return a / b if b else None
    one = {"tp": tp, "fp": fp, "fn": fn, "sensitivity": ratio(tp, tp + fn), "ppv": ratio(tp, tp + fp),
           "f1": ratio(2 * tp, 2 * tp + fp + fn), "onset_mae": mae}
    none = {"tp": 0, "fp": 0, "fn": 0, "sensitivity": None, "ppv": None, "f1": None, "onset_mae": None}
    return {k: (one if k in ("AH", "OA") else none) for k in EVENT_KEYS}


def night(name, status="ok", labels=None, preds=None, stages=None, error=None, events=None):
    d = os.path.join(HERE, "basic", name)
    os.makedirs(d, exist_ok=True)
    ok = status == "ok"
    doc = {
        "schema": "nightfan.night/1", "night": name, "status": status,
        "error": error,
        "epochs": len(stages[0]) if ok else None, "epoch_seconds": 30,
        "inputs": {"labels/hypnogram.csv": {"bytes": 120, "rows": len(stages[0]),
                                            "xxh128": "0123456789abcdef0123456789abcdef"}} if ok else {},
        "unmapped": {},
        "scores": {"labels": labels, "predictions": preds} if ok else None,
        "staging_confusion": (confusion(*stages) if stages[1] is not None else None) if ok else None,
        "event_agreement": events,
        "tool": {"name": "nightfan-shard", "version": "0.1.0"},
    }
    with open(os.path.join(d, "night.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    if ok:
        with open(os.path.join(d, "epochs.csv"), "w") as f:
            f.write(epochs_rows(name, stages[0], stages[1] or [""] * len(stages[0])))


# N0001: mild / mild; 16 epochs; staging mostly right
s1 = (["W", "W", "N1", "N2", "N2", "N2", "N3", "N3", "R", "R", "W", "N2", "N2", "?", "R", "W"],
      ["W", "N1", "N1", "N2", "N2", "N3", "N3", "N3", "R", "N2", "W", "N2", "N2", "N2", "R", ""])
night("N0001", labels=scores(400, 30, 83.5, 10, "mild", True),
      preds=scores(410, 25, 85.5, 12, "mild", False), stages=s1, events=agreement(8, 2, 2, 1.5))
# N0002: normal / normal; 8 epochs
s2 = (["W", "N1", "N2", "N2", "N3", "R", "R", "W"],
      ["W", "N2", "N2", "N2", "N3", "R", "W", "W"])
night("N0002", labels=scores(380, 40, 79.5, 4, "normal", False),
      preds=scores(370, 50, 77, 4, "normal", False), stages=s2, events=agreement(3, 0, 1, 3))
# N0003: moderate / mild; predictions without a hypnogram of their own (sleep keys null, no staging)\n# nor a respiratory stream (event_agreement null)
s3 = (["W", "N2", "N2", "R"], None)
night("N0003", labels=scores(300, 60, 62.5, 20, "moderate", True),
      preds=scores(300, 60, 62.5, 14, "mild", None, sleep=False), stages=s3)
# N0004: failed, with characters that must be escaped in HTML
night("N0004", status="failed", stages=([], []), error={
    "file": "labels/hypnogram.csv", "line": 17, "column": 2,
    "message": "expected a number of seconds for \"Start [s]\", got \"<b>&amp;</b>\""})
