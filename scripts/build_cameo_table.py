"""Build src/dyad/data/events/cameo.tsv: one row per CAMEO event code with its label,
Goldstein score, QuadClass and PLOVER type/mode/context.

Sources (read from ../shared/data, not shipped):
  - CAMEO codebook 0.7b5 labels (cameo/CAMEO_codefile.txt) and GDELT's CAMEO tables
    (cameo/GDELT_CAMEO.eventcodes.txt, GDELT_CAMEO.goldsteinscale.txt)
  - CAMEO to PLOVER conversion table, 2021 (events/plover-gsr/CAMEO2PLOVER-2021.txt)
QuadClass follows GDELT: roots 01-05 verbal cooperation (1), 06-08 material cooperation (2),
09-13 verbal conflict (3), 14-20 material conflict (4).
Run: .venv/bin/python scripts/build_cameo_table.py [SHARED_DATA_DIR]
"""
import sys
from pathlib import Path

data = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
out = Path(__file__).resolve().parents[1] / "src" / "dyad" / "data" / "events" / "cameo.tsv"

labels = {}
for line in (data / "cameo" / "GDELT_CAMEO.eventcodes.txt").read_text().splitlines()[1:]:
    code, label = line.split("\t", 1)
    labels[code.strip()] = label.strip()
gold = {}
for line in (data / "cameo" / "GDELT_CAMEO.goldsteinscale.txt").read_text().splitlines()[1:]:
    code, score = line.split("\t")
    gold[code.strip()] = float(score)

plover = {}
for line in (data / "events" / "plover-gsr" / "CAMEO2PLOVER-2021.txt").read_text().splitlines():
    line = line.split("#", 1)[0].strip()
    if not line or ":" not in line:
        continue
    code, rest = line.split(":", 1)
    parts = [p.strip() for p in rest.split(",")]
    code = code.strip()
    entry = (parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")
    # Root lines may list two types (08: CONCEDE / 08: RETREAT); keep the first.
    plover.setdefault(code, entry)


def quad(code):
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def plover_for(code):
    for k in (code, code[:3], code[:2]):
        if k in plover:
            return plover[k]
    return ("", "", "")


rows = ["# CAMEO event codes with label, Goldstein score, QuadClass and PLOVER (2021) type, mode, context.",
        "# Origin: CAMEO codebook labels as published in GDELT's CAMEO lookup tables (GDELT open data),",
        "# Goldstein scores from GDELT's goldsteinscale table, PLOVER from the OEDA CAMEO-to-PLOVER table (2021, CC BY-SA 4.0).",
        "# Built by scripts/build_cameo_table.py. QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
        "code\tlabel\tgoldstein\tquad_class\tplover\tplover_mode\tplover_context"]
for code in sorted(labels):
    if not code.isdigit():
        continue
    p = plover_for(code)
    rows.append("\t".join([code, labels[code], str(gold.get(code, gold.get(code[:3], gold.get(code[:2], 0.0)))),
                           str(quad(code)), p[0], p[1], p[2]]))
out.write_text("\n".join(rows) + "\n")
print(f"wrote {len(rows) - 5} codes to {out}")
