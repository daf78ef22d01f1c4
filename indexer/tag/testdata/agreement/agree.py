"""Agreement of the second reader (agreement/*.json) with the corpus labels.

Run from indexer/tag/testdata: python3 agreement/agree.py
Page level: F1 of one reader against the other per facet (symmetric), topic
kappa over every (page, topic) decision, document-type agreement; passage level:
topic F1 over sections matched by heading.
"""
import glob, json, os

FACETS = ["organizations", "countries", "regions", "topics", "years"]
TOPICS = 25

def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

def norm(h):
    return " ".join(h.lower().replace(":", "").split())

tot = {f: [0, 0, 0] for f in FACETS}
sec = [0, 0, 0]
types = [0, 0]
agree_cells = both_yes = a_yes = b_yes = cells = 0
for path in sorted(glob.glob("agreement/*.json")):
    b = json.load(open(path))
    a = json.load(open(os.path.join("corpus", b["page"][:-5] + ".json")))
    for f in FACETS:
        sa, sb = set(map(str, a.get(f, []))), set(map(str, b.get(f, [])))
        tot[f][0] += len(sa & sb); tot[f][1] += len(sb - sa); tot[f][2] += len(sa - sb)
    types[0] += a["type"] == b["type"]; types[1] += 1
    ta, tb = set(a["topics"]), set(b["topics"])
    cells += TOPICS; both_yes += len(ta & tb); a_yes += len(ta); b_yes += len(tb)
    agree_cells += TOPICS - len(ta ^ tb)
    bs = {norm(s["heading"]): set(s["topics"]) for s in b.get("sections", [])}
    for s in a.get("sections", []):
        h = norm(s["heading"])
        if h in bs:
            x, y = set(s["topics"]), bs[h]
            sec[0] += len(x & y); sec[1] += len(y - x); sec[2] += len(x - y)
n = types[1]
po = agree_cells / cells
pe = (a_yes / cells) * (b_yes / cells) + (1 - a_yes / cells) * (1 - b_yes / cells)
print(f"pages: {n}")
for f in FACETS:
    print(f"{f:14s} F1 {f1(*tot[f]):.2f}  (both {tot[f][0]}, only second {tot[f][1]}, only first {tot[f][2]})")
print(f"topic kappa    {(po - pe) / (1 - pe):.2f}  (page x topic decisions, observed agreement {po:.3f})")
print(f"section topics F1 {f1(*sec):.2f}  (sections matched by heading)")
print(f"document type  {types[0] / n:.2f}")
