# SPDX-License-Identifier: GPL-3.0-or-later
"""Sample clinical-coding review tasks: invented discharge summaries, the codes
a model proposed for them, and some lab records and hand-written PDF lab
reports to anchor the codes to.  Every patient here is made up."""

import common

MODEL = "coder-bert"
INSTRUCTIONS = (
    "Check the proposed codes against the discharge summary. The principal "
    "diagnosis is the condition established after study to be chiefly "
    "responsible for the admission; correct any code the documentation does "
    "not support."
)

# --- PDF lab reports -------------------------------------------------------

PAGE_W, PAGE_H = 612, 792
LEFT, RIGHT = 50, 562
# Columns of the results table: test, result, units, reference range, flag.
COLS = (50, 238, 318, 396, 528)
ROW_STEP = 17


def _pdf_string(text):
    """A PDF literal string body: ASCII only, with ( ) and \\ escaped."""
    assert all(32 <= ord(c) < 127 for c in text), text
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _row_region(baseline, size=10):
    """The region, top-left origin, covering one table row drawn at baseline.

    Helvetica rises 0.718 em above the baseline and drops 0.207 em below it;
    the region pads both by a few points."""
    top = PAGE_H - baseline - round(0.718 * size) - 4
    return {"x": LEFT - 4, "y": top, "w": RIGHT - LEFT + 8, "h": size + 5}


class _Page:
    def __init__(self):
        self.ops = []

    def text(self, x, y, text, size=10, font="F1"):
        self.ops.append(f"BT /{font} {size} Tf {x} {y} Td ({_pdf_string(text)}) Tj ET")

    def rule(self, y, width=0.5, x0=LEFT, x1=RIGHT):
        self.ops.append(f"{width} w {x0} {y} m {x1} {y} l S")

    def band(self, x, y, w, h, gray):
        self.ops.append(f"{gray} g {x} {y} {w} {h} re f 0 g")

    def stream(self):
        return ("\n".join(self.ops) + "\n").encode("ascii")


def _pdf_document(streams):
    """Bytes of a PDF with one page per content stream, Helvetica fonts."""
    count = len(streams)
    page_ids = [5 + 2 * i for i in range(count)]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: ("<< /Type /Pages /Kids [" + " ".join(f"{p} 0 R" for p in page_ids)
            + f"] /Count {count} >>").encode("ascii"),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    }
    for page_id, stream in zip(page_ids, streams):
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            f"/Contents {page_id + 1} 0 R >>").encode("ascii")
        objects[page_id + 1] = (f"<< /Length {len(stream)} >>\nstream\n".encode("ascii")
                                + stream + b"endstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode("ascii") + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n".encode("ascii")
    out += b"0000000000 65535 f \n"
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode("ascii")
    out += (f"trailer\n<< /Size {size} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode("ascii")
    return bytes(out)


def lab_report(lab, patient, pages):
    """Lays out a lab report; returns (pdf bytes, {row key: pdf anchor}).

    lab is (name, address, accreditation line); patient a list of header
    lines; pages a list of pages, each a list of panels (title, rows) where a
    row is (key, test, result, units, reference range, flag) and key names
    the row for anchors (or is None), or ("note", text) for a comment line."""
    streams = []
    anchors = {}
    total = len(pages)
    for number, panels in enumerate(pages, start=1):
        page = _Page()
        page.text(LEFT, 752, lab[0], size=16, font="F2")
        page.text(420, 752, "LABORATORY REPORT", size=11, font="F2")
        page.text(LEFT, 738, lab[1], size=9)
        page.text(LEFT, 726, lab[2], size=9)
        page.rule(718, width=1.2)
        y = 702
        for line in patient:
            page.text(LEFT, y, line, size=10)
            y -= 14
        page.rule(y + 4)
        y -= 14
        for title, rows in panels:
            page.text(LEFT, y, title, size=11, font="F2")
            y -= 18
            page.band(LEFT - 4, y - 4, RIGHT - LEFT + 8, 14, 0.88)
            for x, head in zip(COLS, ("TEST", "RESULT", "UNITS", "REFERENCE RANGE", "FLAG")):
                page.text(x, y, head, size=8, font="F2")
            y -= ROW_STEP
            for row in rows:
                if row[0] == "note":
                    page.text(LEFT, y, row[1], size=9)
                    y -= 13
                    continue
                key, test, result, units, reference, flag = row
                bold = "F2" if flag else "F1"
                page.text(COLS[0], y, test, size=10)
                page.text(COLS[1], y, result, size=10, font=bold)
                page.text(COLS[2], y, units, size=10)
                page.text(COLS[3], y, reference, size=10)
                page.text(COLS[4], y, flag, size=10, font=bold)
                if key is not None:
                    assert key not in anchors, key
                    anchors[key] = {"page": number, "region": _row_region(y)}
                y -= ROW_STEP
            y -= 12
        assert y > 80, f"page {number} of {lab[0]} overflows"
        page.rule(62)
        page.text(LEFT, 48, "Synthetic sample for software testing - invented patient, "
                  "not for clinical use.", size=8)
        page.text(500, 48, f"Page {number} of {total}", size=8)
        streams.append(page.stream())
    return _pdf_document(streams), anchors


def pdf_evidence(source, title, lab, patient, pages):
    """Writes a lab report blob; returns (evidence item, {key: anchor})."""
    data, rows = lab_report(lab, patient, pages)
    blob, size = common.write_blob(data, "pdf")
    evidence = {"id": source, "kind": "pdf", "title": title,
                "blob": blob, "size": size, "pages": len(pages)}
    anchors = {key: {"source": source, **where} for key, where in rows.items()}
    return evidence, anchors


# --- Tasks -------------------------------------------------------------------


def note(*paragraphs):
    return "\n\n".join(paragraphs)


def pointer(source, path):
    return {"source": source, "pointer": path}


def _resolve(text, record, anchors):
    out = []
    for anchor in anchors:
        if isinstance(anchor, str):
            out.append(common.span(text, anchor, "note"))
        else:
            if "pointer" in anchor:
                _check_pointer(record[anchor["source"]], anchor["pointer"])
            out.append(anchor)
    return out


def _check_pointer(document, path):
    for part in path.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        document = document[int(part)] if isinstance(document, list) else document[part]


def clinical_task(number, *, title, created, version, summary, confidence, text,
                  principal, secondary, procedure, stay, readmission,
                  priority=None, due=None, records=(), pdfs=()):
    """One review task.

    principal is (choices, value, confidence, anchors); secondary is
    (choices, value, confidence, anchors); procedure, stay and readmission
    are (value, confidence, anchors). An anchor is a fragment of the note or
    a ready-made record/pdf anchor."""
    words = len(text.split())
    assert 100 <= words <= 350, f"clin-{number:04d} note has {words} words"
    by_id = {record["id"]: record["record"] for record in records}

    def field(name, title, kind, value, conf, anchors, choices=None):
        item = {"name": name, "title": title, "type": kind}
        if choices is not None:
            item["choices"] = list(choices)
        item["value"] = value
        if conf is not None:
            item["confidence"] = conf
        if anchors:
            item["evidence"] = _resolve(text, by_id, anchors)
        return item

    fields = [
        field("principal_diagnosis", "Principal diagnosis (ICD-10-CM)", "choice",
              principal[1], principal[2], principal[3], choices=principal[0]),
        field("secondary_diagnoses", "Secondary diagnoses (ICD-10-CM)", "multi_choice",
              secondary[1], secondary[2], secondary[3], choices=secondary[0]),
        field("procedure", "Principal procedure (ICD-10-PCS)", "text", *procedure),
        field("length_of_stay", "Length of stay (days)", "number", *stay),
        field("readmission_30d", "Readmission within 30 days", "boolean", *readmission),
    ]
    assert principal[1] in principal[0]
    assert all(code in secondary[0] for code in secondary[1])
    task = {
        "id": f"clin-{number:04d}",
        "title": title,
        "created_at": created,
    }
    if priority is not None:
        task["priority"] = priority
    if due is not None:
        task["due_at"] = due
    task["instructions"] = INSTRUCTIONS
    task["model"] = {"name": MODEL, "version": version}
    task["output"] = {"summary": summary, "confidence": confidence, "fields": fields}
    task["evidence"] = ([{"id": "note", "kind": "text", "title": "Discharge summary",
                          "text": text}]
                        + list(records) + list(pdfs))
    return task


def record(source, title, data):
    return {"id": source, "kind": "record", "title": title, "record": data}


# Codes offered in the choices, with their ICD-10-CM / ICD-10-PCS titles.
C = {
    "A41.51": "Sepsis due to Escherichia coli [E. coli]",
    "A41.9": "Sepsis, unspecified organism",
    "B96.20": "Unspecified Escherichia coli [E. coli] as the cause of diseases classified elsewhere",
    "E11.9": "Type 2 diabetes mellitus without complications",
    "E78.5": "Hyperlipidemia, unspecified",
    "E86.0": "Dehydration",
    "E87.1": "Hypo-osmolality and hyponatremia",
    "G93.41": "Metabolic encephalopathy",
    "I10": "Essential (primary) hypertension",
    "I20.0": "Unstable angina",
    "I21.4": "Non-ST elevation (NSTEMI) myocardial infarction",
    "I21.A1": "Myocardial infarction type 2",
    "I25.10": "Atherosclerotic heart disease of native coronary artery without angina pectoris",
    "J13": "Pneumonia due to Streptococcus pneumoniae",
    "J15.9": "Unspecified bacterial pneumonia",
    "J18.1": "Lobar pneumonia, unspecified organism",
    "J18.9": "Pneumonia, unspecified organism",
    "J45.909": "Unspecified asthma, uncomplicated",
    "N10": "Acute pyelonephritis",
    "N39.0": "Urinary tract infection, site not specified",
    "R65.20": "Severe sepsis without septic shock",
    "R65.21": "Severe sepsis with septic shock",
    "E66.9": "Obesity, unspecified",
    "Z79.84": "Long term (current) use of oral hypoglycemic drugs",
    "Z95.5": "Presence of coronary angioplasty implant and graft",
    "F17.210": "Nicotine dependence, cigarettes, uncomplicated",
    "A08.4": "Viral intestinal infection, unspecified",
    "B96.6": "Bacteroides fragilis [B. fragilis] as the cause of diseases classified elsewhere",
    "B96.81": "Helicobacter pylori [H. pylori] as the cause of diseases classified elsewhere",
    "D62": "Acute posthemorrhagic anemia",
    "E05.20": "Thyrotoxicosis with toxic multinodular goiter without thyrotoxic crisis or storm",
    "E05.90": "Thyrotoxicosis, unspecified without thyrotoxic crisis or storm",
    "E10.10": "Type 1 diabetes mellitus with ketoacidosis without coma",
    "E10.11": "Type 1 diabetes mellitus with ketoacidosis with coma",
    "E10.65": "Type 1 diabetes mellitus with hyperglycemia",
    "E11.10": "Type 2 diabetes mellitus with ketoacidosis without coma",
    "E11.22": "Type 2 diabetes mellitus with diabetic chronic kidney disease",
    "E11.65": "Type 2 diabetes mellitus with hyperglycemia",
    "E22.2": "Syndrome of inappropriate secretion of antidiuretic hormone",
    "E87.5": "Hyperkalemia",
    "E87.6": "Hypokalemia",
    "F02.B0": "Dementia in other diseases classified elsewhere, moderate, without behavioral "
              "disturbance, psychotic disturbance, mood disturbance, and anxiety",
    "F03.90": "Unspecified dementia, unspecified severity, without behavioral disturbance, "
              "psychotic disturbance, mood disturbance, and anxiety",
    "F03.A0": "Unspecified dementia, mild, without behavioral disturbance, psychotic "
              "disturbance, mood disturbance, and anxiety",
    "F10.20": "Alcohol dependence, uncomplicated",
    "F10.230": "Alcohol dependence with withdrawal, uncomplicated",
    "F10.239": "Alcohol dependence with withdrawal, unspecified",
    "G20.A1": "Parkinson's disease without dyskinesia, without mention of fluctuations",
    "G30.9": "Alzheimer's disease, unspecified",
    "G45.9": "Transient cerebral ischemic attack, unspecified",
    "G90.3": "Multi-system degeneration of the autonomic nervous system",
    "I11.0": "Hypertensive heart disease with heart failure",
    "I12.9": "Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney "
             "disease, or unspecified chronic kidney disease",
    "I13.0": "Hypertensive heart and chronic kidney disease with heart failure and stage 1 "
             "through stage 4 chronic kidney disease, or unspecified chronic kidney disease",
    "I26.09": "Other pulmonary embolism with acute cor pulmonale",
    "I26.92": "Saddle embolus of pulmonary artery without acute cor pulmonale",
    "I26.99": "Other pulmonary embolism without acute cor pulmonale",
    "I48.0": "Paroxysmal atrial fibrillation",
    "I48.19": "Other persistent atrial fibrillation",
    "I48.91": "Unspecified atrial fibrillation",
    "I50.23": "Acute on chronic systolic (congestive) heart failure",
    "I50.33": "Acute on chronic diastolic (congestive) heart failure",
    "I51.7": "Cardiomegaly",
    "I63.412": "Cerebral infarction due to embolism of left middle cerebral artery",
    "I63.512": "Cerebral infarction due to unspecified occlusion or stenosis of left middle "
               "cerebral artery",
    "I63.9": "Cerebral infarction, unspecified",
    "I82.431": "Acute embolism and thrombosis of right popliteal vein",
    "I87.2": "Venous insufficiency (chronic) (peripheral)",
    "I95.1": "Orthostatic hypotension",
    "I95.2": "Hypotension due to drugs",
    "J44.0": "Chronic obstructive pulmonary disease with (acute) lower respiratory infection",
    "J44.1": "Chronic obstructive pulmonary disease with (acute) exacerbation",
    "J69.0": "Pneumonitis due to inhalation of food and vomit",
    "J96.01": "Acute respiratory failure with hypoxia",
    "J96.02": "Acute respiratory failure with hypercapnia",
    "K25.4": "Chronic or unspecified gastric ulcer with hemorrhage",
    "K26.0": "Acute duodenal ulcer with hemorrhage",
    "K26.4": "Chronic or unspecified duodenal ulcer with hemorrhage",
    "K35.30": "Acute appendicitis with localized peritonitis, without perforation or gangrene",
    "K35.31": "Acute appendicitis with localized peritonitis and gangrene, without perforation",
    "K35.32": "Acute appendicitis with perforation, localized peritonitis, and gangrene, "
              "without abscess",
    "K35.80": "Unspecified acute appendicitis",
    "K35.890": "Other acute appendicitis without perforation or gangrene",
    "K56.50": "Intestinal adhesions [bands], unspecified as to partial versus complete "
              "obstruction",
    "K56.51": "Intestinal adhesions [bands], with partial obstruction",
    "K56.52": "Intestinal adhesions [bands] with complete obstruction",
    "K56.609": "Unspecified intestinal obstruction, unspecified as to partial versus complete "
               "obstruction",
    "K57.20": "Diverticulitis of large intestine with perforation and abscess without bleeding",
    "K57.32": "Diverticulitis of large intestine without perforation or abscess without "
              "bleeding",
    "K57.80": "Diverticulitis of intestine, part unspecified, with perforation and abscess "
              "without bleeding",
    "K65.0": "Generalized (acute) peritonitis",
    "K65.1": "Peritoneal abscess",
    "K85.20": "Alcohol induced acute pancreatitis without necrosis or infection",
    "K85.21": "Alcohol induced acute pancreatitis with uninfected necrosis",
    "K85.90": "Acute pancreatitis without necrosis or infection, unspecified",
    "K86.0": "Alcohol-induced chronic pancreatitis",
    "K92.1": "Melena",
    "K92.2": "Gastrointestinal hemorrhage, unspecified",
    "L02.415": "Cutaneous abscess of right lower limb",
    "L03.115": "Cellulitis of right lower limb",
    "L03.116": "Cellulitis of left lower limb",
    "L03.90": "Cellulitis, unspecified",
    "M19.90": "Unspecified osteoarthritis, unspecified site",
    "M81.0": "Age-related osteoporosis without current pathological fracture",
    "N12": "Tubulo-interstitial nephritis, not specified as acute or chronic",
    "N17.0": "Acute kidney failure with tubular necrosis",
    "N17.9": "Acute kidney failure, unspecified",
    "N18.31": "Chronic kidney disease, stage 3a",
    "N18.32": "Chronic kidney disease, stage 3b",
    "N18.4": "Chronic kidney disease, stage 4 (severe)",
    "N40.0": "Benign prostatic hyperplasia without lower urinary tract symptoms",
    "R11.10": "Vomiting, unspecified",
    "R13.10": "Dysphagia, unspecified",
    "R13.12": "Dysphagia, oropharyngeal phase",
    "R29.704": "NIHSS score 4",
    "R41.0": "Disorientation, unspecified",
    "R47.01": "Aphasia",
    "R55": "Syncope and collapse",
    "R65.10": "Systemic inflammatory response syndrome (SIRS) of non-infectious origin without "
              "acute organ dysfunction",
    "R74.01": "Elevation of levels of liver transaminase levels",
    "S01.01XA": "Laceration without foreign body of scalp, initial encounter",
    "S72.002A": "Fracture of unspecified part of neck of left femur, initial encounter for "
                "closed fracture",
    "S72.141A": "Displaced intertrochanteric fracture of right femur, initial encounter for "
                "closed fracture",
    "S72.142A": "Displaced intertrochanteric fracture of left femur, initial encounter for "
                "closed fracture",
    "S72.145A": "Nondisplaced intertrochanteric fracture of left femur, initial encounter for "
                "closed fracture",
    "T38.3X5A": "Adverse effect of insulin and oral hypoglycemic [antidiabetic] drugs, "
                "initial encounter",
    "T38.3X6A": "Underdosing of insulin and oral hypoglycemic [antidiabetic] drugs, initial "
                "encounter",
    "T38.4X5A": "Adverse effect of oral contraceptives, initial encounter",
    "T39.395A": "Adverse effect of other nonsteroidal anti-inflammatory drugs [NSAID], "
                "initial encounter",
    "T44.6X5A": "Adverse effect of alpha-adrenoreceptor antagonists, initial encounter",
    "T46.1X5A": "Adverse effect of calcium-channel blockers, initial encounter",
    "T46.4X5A": "Adverse effect of angiotensin-converting-enzyme inhibitors, initial encounter",
    "T50.2X5A": "Adverse effect of carbonic-anhydrase inhibitors, benzothiadiazides and other "
                "diuretics, initial encounter",
    "W10.8XXA": "Fall (on) (from) other stairs and steps, initial encounter",
    "Z68.33": "Body mass index [BMI] 33.0-33.9, adult",
    "Z68.38": "Body mass index [BMI] 38.0-38.9, adult",
    "Z79.01": "Long term (current) use of anticoagulants",
    "Z79.1": "Long term (current) use of non-steroidal anti-inflammatories (NSAID)",
    "Z79.3": "Long term (current) use of hormonal contraceptives",
    "Z79.4": "Long term (current) use of insulin",
    "Z87.891": "Personal history of nicotine dependence",
    "Z90.49": "Acquired absence of other specified parts of digestive tract",
    "Z90.710": "Acquired absence of both cervix and uterus",
    "Z99.81": "Dependence on supplemental oxygen",
}


def codes(*keys):
    return [f"{key} \u2014 {C[key]}" for key in keys]


def code(key):
    return codes(key)[0]


def nstemi():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-02. Discharged: 2026-11-05. Service: Cardiology.",
        "HISTORY: 68-year-old man with hypertension, hyperlipidemia and type 2 diabetes "
        "on metformin presented with three hours of substernal chest pressure radiating "
        "to the left arm, with diaphoresis. No known coronary disease.",
        "FINDINGS: ECG showed 1-2 mm horizontal ST depression in V4-V6 without ST "
        "elevation. High-sensitivity troponin I rose from 0.09 to a peak of 4.82 ng/mL "
        "at nine hours. Echocardiogram: EF 50% with mild anterior hypokinesis.",
        "HOSPITAL COURSE: Treated with aspirin, ticagrelor, heparin infusion and "
        "high-intensity atorvastatin. Coronary angiography on hospital day 2 showed a 90% "
        "mid LAD stenosis; one drug-eluting stent was placed in the mid LAD via right "
        "radial access without complication. No recurrent chest pain; ambulating "
        "independently before discharge.",
        "DISCHARGE DIAGNOSES: 1. Non-ST elevation myocardial infarction. 2. Coronary "
        "artery disease, single vessel. 3. Hypertension. 4. Hyperlipidemia. 5. Type 2 "
        "diabetes mellitus.",
        "DISPOSITION: Home with cardiac rehabilitation referral. No hospital admissions "
        "in the preceding 12 months.")
    pdf, rows = pdf_evidence(
        "labs", "Lab report, 2026-11-02",
        ("Northfield Regional Laboratory", "1400 Quarry Road, Northfield  -  (555) 010-2200",
         "Accession NRL-26-1102-0457  -  Laboratory director: M. Feld, MD"),
        ["Patient: R.T.    MRN: 40-118-2231    Sex: M    Age: 68",
         "Collected: 2026-11-02 06:40    Reported: 2026-11-02 16:05",
         "Ordering clinician: Dr. A. Okafor    Location: Emergency Department"],
        [[("CARDIAC MARKERS", [
            ("trop0", "Troponin I, hs (0 h)", "0.09", "ng/mL", "< 0.04", "H"),
            ("trop3", "Troponin I, hs (3 h)", "1.37", "ng/mL", "< 0.04", "H"),
            ("trop9", "Troponin I, hs (9 h)", "4.82", "ng/mL", "< 0.04", "HH"),
            (None, "NT-proBNP", "612", "pg/mL", "< 300", "H"),
            (None, "CK-MB", "38.4", "ng/mL", "0.0 - 5.0", "H")]),
          ("BASIC METABOLIC PANEL", [
            (None, "Sodium", "138", "mmol/L", "135 - 145", ""),
            (None, "Potassium", "4.1", "mmol/L", "3.5 - 5.1", ""),
            (None, "Chloride", "102", "mmol/L", "98 - 107", ""),
            (None, "Bicarbonate", "24", "mmol/L", "22 - 29", ""),
            ("creat", "Creatinine", "1.02", "mg/dL", "0.70 - 1.30", ""),
            ("glucose", "Glucose", "186", "mg/dL", "70 - 99", "H")])],
         [("LIPID PANEL (fasting)", [
            ("ldl", "LDL cholesterol, calculated", "162", "mg/dL", "< 100", "H"),
            (None, "HDL cholesterol", "36", "mg/dL", "> 40", "L"),
            (None, "Triglycerides", "210", "mg/dL", "< 150", "H"),
            (None, "Total cholesterol", "240", "mg/dL", "< 200", "H")]),
          ("HEMOGLOBIN A1c", [
            ("a1c", "Hemoglobin A1c", "7.4", "%", "4.0 - 5.6", "H"),
            ("note", "Result consistent with diabetes mellitus (ADA criteria >= 6.5%).")]),
          ("COMPLETE BLOOD COUNT", [
            (None, "WBC", "9.8", "10^3/uL", "4.0 - 11.0", ""),
            (None, "Hemoglobin", "14.1", "g/dL", "13.5 - 17.5", ""),
            (None, "Platelets", "232", "10^3/uL", "150 - 400", "")])]])
    return clinical_task(
        1, title="Chest pain, troponin rise, LAD stent", created="2026-11-06T08:15:00-05:00",
        version="2026.10.2", priority=2, due="2026-11-09T17:00:00-05:00",
        summary="NSTEMI with single-vessel CAD treated by PCI; comorbid HTN, HLD, T2DM.",
        confidence=0.94, text=text,
        principal=(codes("I21.4", "I21.A1", "I20.0", "I25.10"), code("I21.4"), 0.95,
                   ["1-2 mm horizontal ST depression in V4-V6 without ST elevation",
                    "1. Non-ST elevation myocardial infarction", rows["trop9"]]),
        secondary=(codes("I25.10", "I10", "E78.5", "E11.9", "Z79.84", "Z95.5"),
                   codes("I25.10", "I10", "E78.5", "E11.9", "Z79.84"), 0.86,
                   ["2. Coronary artery disease, single vessel", "type 2 diabetes on metformin",
                    rows["ldl"], rows["a1c"]]),
        procedure=("027034Z \u2014 Dilation of coronary artery, one artery, with "
                   "drug-eluting intraluminal device, percutaneous approach", 0.91,
                   ["one drug-eluting stent was placed in the mid LAD"]),
        stay=(3, 0.99, ["Admitted: 2026-11-02. Discharged: 2026-11-05."]),
        readmission=(False, 0.97, ["No hospital admissions in the preceding 12 months."]),
        pdfs=[pdf])


def pneumonia():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-03. Discharged: 2026-11-07. Service: Hospital Medicine.",
        "HISTORY: 54-year-old woman with mild intermittent asthma presented with four days "
        "of fever, rigors, productive cough with rust-coloured sputum and right-sided "
        "pleuritic chest pain.",
        "FINDINGS: Temperature 39.1 C, respiratory rate 26, SpO2 90% on room air. Chest "
        "radiograph: dense right lower lobe consolidation, no effusion. WBC 17.2. "
        "Pneumococcal urinary antigen positive; sputum culture grew Streptococcus "
        "pneumoniae, penicillin susceptible. Blood cultures negative.",
        "HOSPITAL COURSE: Started on ceftriaxone and azithromycin, narrowed to oral "
        "amoxicillin on day 3 once susceptibilities returned. Required 2 L nasal cannula "
        "oxygen for 48 hours, then weaned to room air. Asthma remained quiet on her "
        "usual inhaler. BMI 34.",
        "DISCHARGE DIAGNOSES: 1. Right lower lobe pneumococcal pneumonia. 2. Asthma, "
        "mild intermittent, without exacerbation. 3. Obesity.",
        "DISPOSITION: Home. Follow-up chest radiograph in six weeks. First hospital "
        "admission.")
    vitals = {
        "admission": {"temp_c": 39.1, "heart_rate": 112, "resp_rate": 26, "spo2_pct": 90,
                      "bp": "128/76"},
        "labs": {"wbc_k_per_ul": 17.2, "procalcitonin_ng_ml": 3.8, "sodium_mmol_l": 134,
                 "creatinine_mg_dl": 0.84},
        "microbiology": [
            {"specimen": "urine", "test": "pneumococcal antigen", "result": "positive"},
            {"specimen": "sputum", "test": "culture", "result": "Streptococcus pneumoniae",
             "penicillin": "susceptible"},
            {"specimen": "blood x2", "test": "culture", "result": "no growth at 5 days"}],
        "bmi": 34.0,
    }
    return clinical_task(
        2, title="Fever, RLL consolidation, pneumococcal antigen +",
        created="2026-11-08T10:02:00-05:00", version="2026.10.2", priority=1,
        summary="Pneumococcal lobar pneumonia; asthma and obesity as secondaries.",
        confidence=0.81, text=text,
        principal=(codes("J13", "J18.1", "J15.9", "J18.9"), code("J13"), 0.81,
                   ["sputum culture grew Streptococcus pneumoniae",
                    pointer("vitals", "/microbiology/1/result"),
                    pointer("vitals", "/microbiology/0/result")]),
        secondary=(codes("J45.909", "E66.9", "E87.1", "F17.210"),
                   codes("J45.909", "E66.9"), 0.74,
                   ["2. Asthma, mild intermittent, without exacerbation", "BMI 34",
                    pointer("vitals", "/bmi")]),
        procedure=(None, 0.9, []),
        stay=(4, 0.99, ["Admitted: 2026-11-03. Discharged: 2026-11-07."]),
        readmission=(False, 0.93, ["First hospital admission."]),
        records=[record("vitals", "Vitals, labs and microbiology", vitals)])


def urosepsis():
    # Hard: the model sequenced the UTI first, but sepsis present on admission
    # from a localized infection is the principal diagnosis.
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-04. Discharged: 2026-11-09. Service: Hospital Medicine.",
        "HISTORY: 79-year-old woman from an assisted-living facility brought in with one "
        "day of confusion, dysuria and fever. History of hypertension and type 2 diabetes.",
        "FINDINGS ON ARRIVAL: Temperature 39.2 C, heart rate 118, respiratory rate 24, "
        "blood pressure 84/50 improving to 108/62 after 30 mL/kg crystalloid; no "
        "vasopressors were needed. Lactate 3.1 mmol/L, creatinine 1.9 from a baseline of "
        "0.9. Urinalysis with pyuria and nitrites. Urine culture grew Escherichia coli "
        "greater than 100,000 CFU/mL and 2 of 2 blood cultures grew E. coli.",
        "ASSESSMENT: Sepsis due to E. coli urinary tract infection, present on admission, "
        "with acute metabolic encephalopathy. No septic shock.",
        "HOSPITAL COURSE: Ceftriaxone, then oral cefpodoxime per susceptibilities. "
        "Mentation returned to baseline by day 3; creatinine 1.0 at discharge. Metformin "
        "held and resumed on discharge.",
        "DISCHARGE DIAGNOSES: 1. Sepsis secondary to E. coli UTI. 2. Acute metabolic "
        "encephalopathy, resolved. 3. Hypertension. 4. Type 2 diabetes.",
        "DISPOSITION: Back to assisted living. Last hospitalisation was in March 2026.")
    pdf, rows = pdf_evidence(
        "labs", "Lab report, 2026-11-04",
        ("Lakeside Medical Laboratories", "88 Harbour Street, Lakeside  -  (555) 014-7710",
         "Accession LML-4471902  -  Accredited clinical laboratory (sample)"),
        ["Patient: E.M.    MRN: 77-204-5519    Sex: F    Age: 79",
         "Collected: 2026-11-04 21:15    Final report: 2026-11-07 11:30",
         "Ordering clinician: Dr. S. Varga    Location: ED Bay 6"],
        [[("CHEMISTRY", [
            ("lactate", "Lactate, venous", "3.1", "mmol/L", "0.5 - 2.0", "H"),
            ("creat", "Creatinine", "1.9", "mg/dL", "0.50 - 1.00", "H"),
            (None, "BUN", "38", "mg/dL", "7 - 20", "H"),
            (None, "Sodium", "133", "mmol/L", "135 - 145", "L"),
            (None, "Potassium", "3.8", "mmol/L", "3.5 - 5.1", ""),
            (None, "Glucose", "241", "mg/dL", "70 - 99", "H"),
            (None, "Procalcitonin", "12.6", "ng/mL", "< 0.50", "H")]),
          ("HEMATOLOGY", [
            ("wbc", "WBC", "19.4", "10^3/uL", "4.0 - 11.0", "H"),
            (None, "Neutrophils", "88", "%", "40 - 75", "H"),
            (None, "Hemoglobin", "11.8", "g/dL", "12.0 - 15.5", "L"),
            (None, "Platelets", "164", "10^3/uL", "150 - 400", "")])],
         [("URINALYSIS", [
            (None, "Leukocyte esterase", "3+", "", "Negative", "A"),
            ("nitrite", "Nitrite", "Positive", "", "Negative", "A"),
            (None, "WBC, urine", "> 100", "/HPF", "0 - 5", "H")]),
          ("MICROBIOLOGY", [
            ("urine_cx", "Urine culture", "E. coli", "CFU/mL", "> 100,000", "A"),
            ("blood_cx", "Blood culture x2", "E. coli", "bottles", "2 of 2 positive", "A"),
            (None, "Ceftriaxone", "S", "MIC", "<= 1", ""),
            (None, "Cefpodoxime", "S", "MIC", "<= 2", ""),
            (None, "Ciprofloxacin", "R", "MIC", "> 2", "A"),
            ("note", "Critical value: positive blood culture called to Dr. S. Varga "
                     "2026-11-05 09:12.")])]])
    return clinical_task(
        3, title="Confusion, fever, hypotension, E. coli in urine and blood",
        created="2026-11-10T07:40:00-05:00", version="2026.10.1", priority=4,
        due="2026-11-11T17:00:00-05:00",
        summary="Proposes E. coli UTI as principal with sepsis as a secondary diagnosis.",
        confidence=0.58, text=text,
        principal=(codes("N39.0", "A41.51", "A41.9", "N10"), code("N39.0"), 0.58,
                   ["Urinalysis with pyuria and nitrites", rows["urine_cx"]]),
        secondary=(codes("A41.51", "R65.20", "R65.21", "G93.41", "B96.20", "I10", "E11.9"),
                   codes("A41.51", "G93.41", "B96.20", "I10", "E11.9"), 0.62,
                   ["Sepsis due to E. coli urinary tract infection, present on admission",
                    "with acute metabolic encephalopathy", rows["blood_cx"], rows["lactate"]]),
        procedure=(None, 0.88, []),
        stay=(5, 0.99, ["Admitted: 2026-11-04. Discharged: 2026-11-09."]),
        readmission=(False, 0.9, ["Last hospitalisation was in March 2026."]),
        pdfs=[pdf])


def copd():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-08. Discharged: 2026-11-11. Service: Respiratory Medicine.",
        "HISTORY: 71-year-old man with severe COPD (FEV1 38% predicted), hypertension and "
        "active smoking of about 40 pack-years presented with three days of worsening "
        "breathlessness and increased, purulent sputum. He was discharged from this hospital "
        "on 2026-10-21 after a similar exacerbation.",
        "FINDINGS: SpO2 86% on room air, diffuse expiratory wheeze, no focal crackles. Chest "
        "radiograph: hyperinflation, no infiltrate. Arterial gas on 2 L oxygen: pH 7.36, "
        "pCO2 49 mmHg, pO2 64 mmHg.",
        "HOSPITAL COURSE: Nebulised ipratropium-albuterol, prednisone 40 mg for five days "
        "and doxycycline. Oxygen weaned to room air by day 3 with resting SpO2 91%. He did "
        "not meet criteria for acute respiratory failure. Smoking cessation counselling "
        "given and a nicotine patch started. Inhaler technique reviewed; triple therapy "
        "continued.",
        "DISCHARGE DIAGNOSES: 1. COPD with acute exacerbation. 2. Tobacco dependence, "
        "cigarettes. 3. Hypertension.",
        "DISPOSITION: Home. Pulmonary rehabilitation referral; respiratory clinic in four weeks.")
    data = {
        "admission": {"spo2_room_air_pct": 86, "resp_rate": 28, "heart_rate": 104,
                      "temp_c": 37.4},
        "abg_on_2l_oxygen": {"ph": 7.36, "pco2_mmhg": 49, "po2_mmhg": 64, "hco3_mmol_l": 27},
        "discharge": {"spo2_room_air_pct": 91},
        "chest_xray": "Hyperinflation. No consolidation, effusion or pneumothorax.",
        "previous_admission": {"discharged": "2026-10-21", "reason": "COPD exacerbation"},
    }
    return clinical_task(
        4, title="COPD flare, 18 days after last discharge", created="2026-11-12T09:30:00-05:00",
        version="2026.10.2", priority=2,
        summary="COPD with acute exacerbation, no pneumonia or respiratory failure; 30-day "
                "readmission.",
        confidence=0.88, text=text,
        principal=(codes("J44.1", "J44.0", "J96.01", "J96.02"), code("J44.1"), 0.88,
                   ["1. COPD with acute exacerbation", "Chest radiograph: hyperinflation, no "
                    "infiltrate", "He did not meet criteria for acute respiratory failure",
                    pointer("vitals", "/abg_on_2l_oxygen/ph")]),
        secondary=(codes("F17.210", "I10", "J96.01", "Z99.81", "Z87.891"),
                   codes("F17.210", "I10"), 0.83,
                   ["active smoking of about 40 pack-years", "3. Hypertension."]),
        procedure=(None, 0.95, []),
        stay=(3, 0.99, ["Admitted: 2026-11-08. Discharged: 2026-11-11."]),
        readmission=(True, 0.96, ["He was discharged from this hospital on 2026-10-21",
                                  pointer("vitals", "/previous_admission/discharged")]),
        records=[record("vitals", "Vitals and blood gas", data)])


def heart_failure():
    # Hard: hypertension with CKD and heart failure takes the combination code
    # I13.0 as principal, with I50.23 and N18.32 after it and no I10.
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-06. Discharged: 2026-11-11. Service: Cardiology.",
        "HISTORY: 76-year-old woman with long-standing hypertension, chronic kidney "
        "disease stage 3b and heart failure with reduced ejection fraction (EF 30% in May "
        "2026) presented with two weeks of progressive dyspnea, three-pillow orthopnea and "
        "a 5 kg weight gain. She was discharged on 2026-10-24 after an admission for the "
        "same problem and says she ran out of furosemide a week ago.",
        "FINDINGS: JVP 12 cm, bibasilar crackles, pitting edema to the knees. NT-proBNP "
        "9,840 pg/mL. Creatinine 2.1 mg/dL (baseline 1.8, eGFR 38). Chest radiograph: "
        "cardiomegaly, interstitial edema and small bilateral effusions.",
        "HOSPITAL COURSE: IV furosemide with a net negative balance of 6.2 L; weight fell "
        "from 78.4 to 72.9 kg. Creatinine peaked at 2.3 and was 1.9 at discharge. "
        "Lisinopril held for two days then restarted at half dose. Metoprolol succinate "
        "continued; spironolactone deferred with potassium 5.0. Pharmacy arranged a "
        "blister pack and home delivery.",
        "DISCHARGE DIAGNOSES: 1. Acute on chronic systolic heart failure. 2. Hypertension. "
        "3. Chronic kidney disease stage 3b. 4. Medication supply lapse.",
        "DISPOSITION: Home with heart failure nurse visit in 3 days.")
    data = {
        "weights_kg": [{"date": "2026-11-06", "kg": 78.4}, {"date": "2026-11-08", "kg": 75.9},
                       {"date": "2026-11-11", "kg": 72.9}],
        "labs": {"nt_probnp_pg_ml": 9840, "potassium_mmol_l": 5.0, "egfr_ml_min": 38,
                 "creatinine_mg_dl": {"baseline": 1.8, "admission": 2.1, "peak": 2.3,
                                      "discharge": 1.9}},
        "echo": {"date": "2026-05-14", "ef_pct": 30},
        "previous_admission": {"discharged": "2026-10-24", "reason": "heart failure"},
    }
    return clinical_task(
        5, title="Dyspnea and 5 kg gain, HFrEF with CKD 3b", created="2026-11-12T14:05:00-05:00",
        version="2026.10.1", priority=3, due="2026-11-13T17:00:00-05:00",
        summary="Acute on chronic systolic heart failure as principal; hypertension and CKD "
                "stage 3b coded separately.",
        confidence=0.77, text=text,
        principal=(codes("I50.23", "I13.0", "I11.0", "I50.33"), code("I50.23"), 0.77,
                   ["1. Acute on chronic systolic heart failure",
                    "heart failure with reduced ejection fraction (EF 30% in May 2026)",
                    pointer("vitals", "/echo/ef_pct"), pointer("vitals", "/labs/nt_probnp_pg_ml")]),
        secondary=(codes("I50.23", "N18.32", "I10", "N18.4", "E11.22"),
                   codes("N18.32", "I10"), 0.71,
                   ["long-standing hypertension", "chronic kidney disease stage 3b",
                    pointer("vitals", "/labs/egfr_ml_min")]),
        procedure=(None, 0.93, []),
        stay=(5, 0.99, ["Admitted: 2026-11-06. Discharged: 2026-11-11."]),
        readmission=(True, 0.95, ["She was discharged on 2026-10-24 after an admission for "
                                  "the same problem",
                                  pointer("vitals", "/previous_admission/discharged")]),
        records=[record("vitals", "Weights, labs and echo", data)])


def hip_fracture():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-01. Discharged: 2026-11-05. Service: Orthopaedics.",
        "HISTORY: 83-year-old woman with osteoporosis, hypertension and mild dementia fell "
        "down six carpeted stairs at home and could not bear weight. Left leg shortened and "
        "externally rotated. Radiographs: displaced intertrochanteric fracture of the left "
        "femur. CT head after a minor head strike: no acute findings.",
        "HOSPITAL COURSE: Medically optimised overnight. On 2026-11-02 she underwent open "
        "reduction and internal fixation of the left intertrochanteric fracture with a "
        "sliding hip screw and side plate. Estimated blood loss 300 mL. Hemoglobin fell "
        "from 11.9 to 8.1 g/dL and she received one unit of packed red cells for acute "
        "blood loss anemia. Brief postoperative confusion settled with reorientation and "
        "sleep hygiene. Weight bearing as tolerated with physiotherapy; enoxaparin for 28 "
        "days. Bone health clinic referral for her osteoporosis.",
        "DISCHARGE DIAGNOSES: 1. Closed displaced intertrochanteric fracture, left femur. "
        "2. Acute blood loss anemia. 3. Age-related osteoporosis. 4. Dementia, mild. "
        "5. Hypertension.",
        "DISPOSITION: Skilled nursing facility for rehabilitation. No admissions in the past "
        "year.")
    return clinical_task(
        6, title="Fall down stairs, left intertrochanteric fracture, ORIF",
        created="2026-11-06T11:20:00-05:00", version="2026.10.2", priority=1,
        summary="Displaced left intertrochanteric fracture fixed with a sliding hip screw; "
                "postoperative blood loss anemia.",
        confidence=0.91, text=text,
        principal=(codes("S72.142A", "S72.145A", "S72.141A", "S72.002A"), code("S72.142A"),
                   0.92, ["displaced intertrochanteric fracture of the left femur",
                          "1. Closed displaced intertrochanteric fracture, left femur."]),
        secondary=(codes("D62", "M81.0", "F03.90", "F03.A0", "I10", "W10.8XXA"),
                   codes("D62", "M81.0", "F03.90", "I10", "W10.8XXA"), 0.76,
                   ["she received one unit of packed red cells for acute blood loss anemia",
                    "4. Dementia, mild.", "fell down six carpeted stairs at home"]),
        procedure=("0QS704Z \u2014 Reposition left upper femur with internal fixation device, "
                   "open approach", 0.87,
                   ["open reduction and internal fixation of the left intertrochanteric "
                    "fracture with a sliding hip screw and side plate"]),
        stay=(4, 0.99, ["Admitted: 2026-11-01. Discharged: 2026-11-05."]),
        readmission=(False, 0.94, ["No admissions in the past year."]))


def appendicitis():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-09. Discharged: 2026-11-10. Service: General Surgery.",
        "HISTORY: 24-year-old man with no past medical history presented with 18 hours of "
        "periumbilical pain migrating to the right lower quadrant, anorexia and one episode "
        "of vomiting. Temperature 38.2 C; rebound tenderness at McBurney's point. WBC 14.6.",
        "IMAGING: CT abdomen and pelvis with contrast: dilated 11 mm appendix with "
        "periappendiceal fat stranding; no extraluminal air or abscess.",
        "OPERATION (2026-11-09): Laparoscopic appendectomy. Findings: inflamed, "
        "non-perforated, non-gangrenous appendix with a small amount of purulent fluid "
        "confined to the right lower quadrant, consistent with localized peritonitis. "
        "Pelvis irrigated.",
        "PATHOLOGY: Acute suppurative appendicitis with periappendicitis. No perforation. "
        "No neoplasm.",
        "HOSPITAL COURSE: Uneventful. Tolerated a regular diet, pain controlled with oral "
        "analgesia, discharged on postoperative day 1.",
        "DISCHARGE DIAGNOSIS: Acute appendicitis with localized peritonitis.",
        "DISPOSITION: Home; return to work in two weeks. No prior hospitalisations.")
    return clinical_task(
        7, title="RLQ pain, CT appendicitis, laparoscopic appendectomy",
        created="2026-11-11T08:05:00-05:00", version="2026.10.2", priority=0,
        summary="Acute appendicitis with localized peritonitis, no perforation; laparoscopic "
                "appendectomy.",
        confidence=0.83, text=text,
        principal=(codes("K35.30", "K35.80", "K35.890", "K35.31", "K35.32"), code("K35.30"),
                   0.83, ["consistent with localized peritonitis",
                          "Acute suppurative appendicitis with periappendicitis. No perforation.",
                          "DISCHARGE DIAGNOSIS: Acute appendicitis with localized peritonitis."]),
        secondary=(codes("K65.0", "R11.10", "Z87.891"), [], 0.9, []),
        procedure=("0DTJ4ZZ \u2014 Resection of appendix, percutaneous endoscopic approach",
                   0.97, ["OPERATION (2026-11-09): Laparoscopic appendectomy."]),
        stay=(1, 0.99, ["Admitted: 2026-11-09. Discharged: 2026-11-10.",
                        "discharged on postoperative day 1"]),
        readmission=(False, 0.98, ["No prior hospitalisations."]))


def dka():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-12. Discharged: 2026-11-14. Service: Endocrinology.",
        "HISTORY: 19-year-old woman with type 1 diabetes since age 9, on multiple daily "
        "injections, presented with 24 hours of nausea, vomiting, abdominal pain and "
        "polyuria. She had a stomach bug and skipped her insulin doses for two days because "
        "she was not eating.",
        "FINDINGS: Alert and oriented; Kussmaul respirations; dry mucous membranes. Glucose "
        "512 mg/dL, venous pH 7.12, bicarbonate 9 mmol/L, anion gap 27, beta-hydroxybutyrate "
        "6.8 mmol/L, potassium 5.6 mmol/L.",
        "HOSPITAL COURSE: Managed in the step-down unit on the DKA protocol with IV fluids, "
        "an insulin infusion and potassium replacement. The anion gap closed after 14 hours "
        "and she moved to subcutaneous basal-bolus insulin. No other infection source; "
        "urinalysis and chest radiograph unremarkable. HbA1c 8.9%. Diabetes educator "
        "reviewed sick-day rules: never omit basal insulin, check ketones when unwell.",
        "DISCHARGE DIAGNOSES: 1. Diabetic ketoacidosis without coma, type 1 diabetes, "
        "precipitated by omitted insulin during gastroenteritis. 2. Dehydration.",
        "DISPOSITION: Home. Endocrinology follow-up in one week. Her last admission, also "
        "for DKA, was in 2024.")
    pdf, rows = pdf_evidence(
        "labs", "Lab report, 2026-11-12 to 2026-11-13",
        ("Riverbend Clinical Laboratory", "22 Mill Lane, Riverbend  -  (555) 013-4480",
         "Accession RCL-0012-88341  -  Chemistry and point-of-care services"),
        ["Patient: K.L.    MRN: 31-902-6604    Sex: F    Age: 19",
         "Collected: 2026-11-12 03:25    Final report: 2026-11-13 18:40",
         "Ordering clinician: Dr. P. Haddad    Location: Step-down Unit 4"],
        [[("ARRIVAL CHEMISTRY (2026-11-12 03:25)", [
            ("glucose", "Glucose", "512", "mg/dL", "70 - 99", "HH"),
            (None, "Sodium", "131", "mmol/L", "135 - 145", "L"),
            ("potassium", "Potassium", "5.6", "mmol/L", "3.5 - 5.1", "H"),
            (None, "Chloride", "95", "mmol/L", "98 - 107", "L"),
            ("bicarb", "Bicarbonate", "9", "mmol/L", "22 - 29", "LL"),
            ("gap", "Anion gap", "27", "mmol/L", "7 - 16", "H"),
            (None, "BUN", "26", "mg/dL", "7 - 20", "H"),
            (None, "Creatinine", "1.21", "mg/dL", "0.50 - 1.00", "H"),
            ("bhb", "Beta-hydroxybutyrate", "6.8", "mmol/L", "< 0.4", "HH")]),
          ("VENOUS BLOOD GAS", [
            ("ph", "pH", "7.12", "", "7.32 - 7.42", "LL"),
            (None, "pCO2", "22", "mmHg", "41 - 51", "L"),
            (None, "Lactate", "1.8", "mmol/L", "0.5 - 2.0", "")])],
         [("SERIAL MONITORING", [
            (None, "Glucose, 4 h", "318", "mg/dL", "70 - 99", "H"),
            (None, "Anion gap, 4 h", "21", "mmol/L", "7 - 16", "H"),
            (None, "Potassium, 4 h", "4.2", "mmol/L", "3.5 - 5.1", ""),
            (None, "Glucose, 8 h", "236", "mg/dL", "70 - 99", "H"),
            (None, "Anion gap, 8 h", "17", "mmol/L", "7 - 16", "H"),
            (None, "Potassium, 8 h", "3.6", "mmol/L", "3.5 - 5.1", ""),
            ("gap14", "Anion gap, 14 h", "12", "mmol/L", "7 - 16", ""),
            (None, "Bicarbonate, 14 h", "19", "mmol/L", "22 - 29", "L"),
            (None, "Beta-hydroxybutyrate, 14 h", "0.9", "mmol/L", "< 0.4", "H"),
            ("note", "Anion gap closed at 14 h; insulin infusion stopped 2 h after "
                     "first subcutaneous basal dose.")])],
         [("URINALYSIS", [
            (None, "Glucose, urine", "4+", "", "Negative", "A"),
            (None, "Ketones, urine", "3+", "", "Negative", "A"),
            (None, "Leukocyte esterase", "Negative", "", "Negative", ""),
            (None, "Nitrite", "Negative", "", "Negative", "")]),
          ("ENDOCRINE", [
            ("a1c", "Hemoglobin A1c", "8.9", "%", "4.0 - 5.6", "H"),
            (None, "hCG, serum", "< 2", "mIU/mL", "< 5", ""),
            (None, "TSH", "1.9", "mIU/L", "0.4 - 4.0", "")])]])
    return clinical_task(
        8, title="T1DM, vomiting, pH 7.12, ketones 6.8", created="2026-11-15T09:45:00-05:00",
        version="2026.11.0", priority=1,
        summary="Type 1 DKA without coma after omitted insulin; underdosing and dehydration "
                "as secondaries.",
        confidence=0.96, text=text,
        principal=(codes("E10.10", "E10.11", "E11.10", "E10.65"), code("E10.10"), 0.97,
                   ["Alert and oriented", "1. Diabetic ketoacidosis without coma, type 1 "
                    "diabetes", rows["ph"], rows["bhb"], rows["gap"]]),
        secondary=(codes("E86.0", "T38.3X6A", "Z79.4", "E87.5", "E10.65"),
                   codes("E86.0", "T38.3X6A", "Z79.4"), 0.69,
                   ["skipped her insulin doses for two days", "2. Dehydration.",
                    rows["potassium"]]),
        procedure=(None, 0.96, []),
        stay=(2, 0.99, ["Admitted: 2026-11-12. Discharged: 2026-11-14."]),
        readmission=(False, 0.92, ["Her last admission, also for DKA, was in 2024."]),
        pdfs=[pdf])


def stroke():
    # Hard: the ED called it a TIA, but MRI showed an infarct; cardioembolic
    # from new atrial fibrillation.
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-10. Discharged: 2026-11-14. Service: Neurology.",
        "HISTORY: 72-year-old right-handed man with hypertension and hyperlipidemia "
        "presented six hours after waking with right arm weakness and difficulty finding "
        "words. NIHSS 4 on arrival. Outside the thrombolysis window. CT head showed no "
        "hemorrhage and CT angiography no large-vessel occlusion. Symptoms improved over "
        "the first 12 hours and the emergency department working diagnosis was transient "
        "ischemic attack.",
        "FINDINGS: MRI brain on day 2 showed an acute infarct in the left middle cerebral "
        "artery territory (left frontal operculum and insula) on diffusion-weighted "
        "imaging. Telemetry captured paroxysmal atrial fibrillation, not previously known. "
        "Echo: normal EF, left atrium mildly dilated, no thrombus.",
        "HOSPITAL COURSE: Aspirin, then apixaban from day 4 as advised by the stroke team. "
        "Atorvastatin increased. A mild expressive aphasia persists at discharge; right arm "
        "strength 4+/5.",
        "DISCHARGE DIAGNOSES: 1. Acute ischemic stroke, left MCA territory, cardioembolic, "
        "due to newly diagnosed paroxysmal atrial fibrillation. 2. Expressive aphasia. "
        "3. Right upper limb weakness. 4. Hypertension. 5. Hyperlipidemia.",
        "DISPOSITION: Home with outpatient speech therapy. No prior admissions.")
    data = {
        "nihss": {"arrival": 4, "discharge": 2},
        "imaging": {
            "ct_head": "No hemorrhage. ASPECTS 10.",
            "cta_head_neck": "No large-vessel occlusion. Mild carotid bulb plaque, <30% stenosis.",
            "mri_brain": {"date": "2026-11-11",
                          "dwi": "Acute infarct, left frontal operculum and insula "
                                 "(left MCA territory)."},
        },
        "telemetry": {"rhythm": "paroxysmal atrial fibrillation", "longest_run": "3 h 12 min"},
        "ed_working_diagnosis": "transient ischemic attack",
    }
    return clinical_task(
        9, title="Word-finding difficulty and right arm weakness, improving",
        created="2026-11-15T16:10:00-05:00", version="2026.10.1", priority=4,
        due="2026-11-17T12:00:00-05:00",
        summary="Deficits improved within hours; coded as transient ischemic attack with new "
                "atrial fibrillation.",
        confidence=0.52, text=text,
        principal=(codes("G45.9", "I63.9", "I63.512", "I63.412"), code("G45.9"), 0.52,
                   ["the emergency department working diagnosis was transient ischemic "
                    "attack", "Symptoms improved over the first 12 hours",
                    pointer("vitals", "/ed_working_diagnosis")]),
        secondary=(codes("I48.0", "R47.01", "R29.704", "I10", "E78.5", "Z79.01"),
                   codes("I48.0", "I10", "E78.5"), 0.64,
                   ["Telemetry captured paroxysmal atrial fibrillation, not previously known",
                    "A mild expressive aphasia persists at discharge",
                    pointer("vitals", "/telemetry/rhythm"), pointer("vitals", "/nihss/arrival")]),
        procedure=(None, 0.9, ["Outside the thrombolysis window."]),
        stay=(4, 0.99, ["Admitted: 2026-11-10. Discharged: 2026-11-14."]),
        readmission=(False, 0.97, ["No prior admissions."]),
        records=[record("vitals", "Stroke workup", data)])


def cellulitis():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-05. Discharged: 2026-11-08. Service: Hospital Medicine.",
        "HISTORY: 58-year-old man with type 2 diabetes on metformin and insulin glargine, "
        "obesity (BMI 38) and chronic venous insufficiency presented with three days of "
        "spreading redness, warmth and pain of the right lower leg after scraping his shin "
        "on a garden step.",
        "FINDINGS: Temperature 38.4 C. Well-demarcated erythema from ankle to mid-shin, "
        "18 x 12 cm, tender, with no fluctuance or crepitus. Soft-tissue ultrasound: "
        "subcutaneous edema without a drainable collection. Venous duplex negative for "
        "DVT. WBC 13.1, CRP 96 mg/L, glucose 264 mg/dL.",
        "HOSPITAL COURSE: IV cefazolin for 48 hours with leg elevation, then oral cephalexin "
        "to complete seven days. Erythema receded well inside the marked border. Glucose "
        "brought under control with adjusted basal-bolus insulin; metformin continued. "
        "Compression stockings to resume once the skin has healed.",
        "DISCHARGE DIAGNOSES: 1. Cellulitis of the right lower leg. 2. Type 2 diabetes "
        "mellitus with hyperglycemia. 3. Obesity, BMI 38. 4. Chronic venous insufficiency.",
        "DISPOSITION: Home. No previous admissions on record.")
    data = {
        "vitals": {"temp_c": 38.4, "heart_rate": 98, "bp": "142/88", "spo2_pct": 97},
        "labs": {"wbc_k_per_ul": 13.1, "crp_mg_l": 96, "glucose_mg_dl": 264, "a1c_pct": 9.2},
        "wound": {"site": "right lower leg, ankle to mid-shin", "erythema_cm": [18, 12],
                  "fluctuance": False},
        "imaging": {"soft_tissue_us": "Subcutaneous edema. No drainable collection.",
                    "venous_duplex": "No DVT."},
        "bmi": 38.4,
    }
    return clinical_task(
        10, title="Red, hot right shin in a patient with diabetes",
        created="2026-11-09T13:00:00-05:00", version="2026.10.2",
        summary="Right lower limb cellulitis without abscess; diabetes with hyperglycemia, "
                "obesity, venous insufficiency.",
        confidence=0.89, text=text,
        principal=(codes("L03.115", "L03.116", "L02.415", "L03.90"), code("L03.115"), 0.9,
                   ["1. Cellulitis of the right lower leg.", "without a drainable collection",
                    pointer("vitals", "/wound/site")]),
        secondary=(codes("E11.65", "E11.9", "Z79.4", "Z79.84", "E66.9", "Z68.38", "I87.2"),
                   codes("E11.65", "Z79.4", "Z79.84", "E66.9", "Z68.38", "I87.2"), 0.8,
                   ["2. Type 2 diabetes mellitus with hyperglycemia.",
                    "type 2 diabetes on metformin and insulin glargine",
                    "3. Obesity, BMI 38.", pointer("vitals", "/labs/glucose_mg_dl"),
                    pointer("vitals", "/bmi")]),
        procedure=(None, 0.94, []),
        stay=(3, 0.99, ["Admitted: 2026-11-05. Discharged: 2026-11-08."]),
        readmission=(False, 0.9, ["No previous admissions on record."]),
        records=[record("vitals", "Vitals, labs and imaging", data)])


def gi_bleed():
    # Hard: the bleeding source was found, so the ulcer with hemorrhage is
    # the principal diagnosis, not the melena symptom.
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-13. Discharged: 2026-11-16. Service: Gastroenterology.",
        "HISTORY: 66-year-old man with knee osteoarthritis taking over-the-counter "
        "ibuprofen 800 mg three times daily for several months presented with two days of "
        "black tarry stools and lightheadedness. Heart rate 112, blood pressure 98/60. "
        "Hemoglobin 6.9 g/dL (13.5 in June), BUN 58 mg/dL.",
        "HOSPITAL COURSE: Transfused two units of packed red cells; IV pantoprazole "
        "infusion. Upper endoscopy on 2026-11-14 found a 1.5 cm ulcer in the posterior "
        "duodenal bulb with a non-bleeding visible vessel, treated with epinephrine "
        "injection and two hemoclips. Stomach with mild antral gastritis; biopsies positive "
        "for Helicobacter pylori. No rebleeding; hemoglobin stable at 8.8 g/dL on the day "
        "of discharge. Ibuprofen stopped and listed as an adverse reaction; H. pylori "
        "bismuth quadruple therapy started with oral pantoprazole.",
        "DISCHARGE DIAGNOSES: 1. Upper GI bleed from a duodenal bulb ulcer, NSAID associated "
        "and H. pylori positive. 2. Acute blood loss anemia. 3. Osteoarthritis of the knees.",
        "DISPOSITION: Home. Urea breath test eight weeks after therapy. No admissions in "
        "the past year.")
    pdf, rows = pdf_evidence(
        "labs", "Lab report, 2026-11-13 to 2026-11-16",
        ("Cedar Valley Pathology", "310 Orchard Avenue, Cedar Valley  -  (555) 019-3321",
         "Accession CVP-26-55127  -  Hematology, chemistry and anatomic pathology"),
        ["Patient: D.W.    MRN: 58-330-1187    Sex: M    Age: 66",
         "Collected: 2026-11-13 22:05    Final report: 2026-11-16 10:15",
         "Ordering clinician: Dr. L. Moreau    Location: GI Unit, Bed 12"],
        [[("HEMATOLOGY", [
            ("hgb0", "Hemoglobin, admission", "6.9", "g/dL", "13.5 - 17.5", "LL"),
            (None, "Hematocrit", "21.0", "%", "41 - 53", "L"),
            (None, "MCV", "84", "fL", "80 - 100", ""),
            (None, "Platelets", "301", "10^3/uL", "150 - 400", ""),
            (None, "Hemoglobin, post 2 units", "8.7", "g/dL", "13.5 - 17.5", "L"),
            ("hgb_dc", "Hemoglobin, discharge", "8.8", "g/dL", "13.5 - 17.5", "L")]),
          ("CHEMISTRY AND COAGULATION", [
            ("bun", "BUN", "58", "mg/dL", "7 - 20", "H"),
            (None, "Creatinine", "1.05", "mg/dL", "0.70 - 1.30", ""),
            (None, "INR", "1.1", "", "0.9 - 1.2", ""),
            (None, "Ferritin", "22", "ng/mL", "30 - 400", "L")])],
         [("TRANSFUSION SERVICE", [
            (None, "ABO/Rh", "O positive", "", "", ""),
            (None, "Antibody screen", "Negative", "", "Negative", ""),
            ("rbc", "Red cells issued", "2", "units", "", ""),
            ("note", "Units issued 2026-11-13 23:10 and 2026-11-14 02:40; no reactions.")]),
          ("SURGICAL PATHOLOGY", [
            ("hpylori", "Gastric antrum biopsy", "H. pylori", "", "Not detected", "A"),
            (None, "Duodenal ulcer margin", "Benign", "", "", ""),
            ("note", "Chronic active gastritis with Helicobacter pylori organisms (IHC "
                     "confirmed). No dysplasia.")])]])
    return clinical_task(
        11, title="Melena, Hb 6.9, duodenal ulcer clipped", created="2026-11-17T08:30:00-05:00",
        version="2026.10.2", priority=3, due="2026-11-18T17:00:00-05:00",
        summary="Melena with acute blood loss anemia as principal; duodenal ulcer coded as a "
                "secondary diagnosis.",
        confidence=0.63, text=text,
        principal=(codes("K92.1", "K92.2", "K26.4", "K26.0", "K25.4"), code("K92.1"), 0.63,
                   ["two days of black tarry stools", rows["hgb0"]]),
        secondary=(codes("K26.4", "D62", "B96.81", "T39.395A", "Z79.1", "M19.90"),
                   codes("K26.4", "D62", "M19.90"), 0.66,
                   ["a 1.5 cm ulcer in the posterior duodenal bulb", "2. Acute blood loss "
                    "anemia.", "biopsies positive for Helicobacter pylori", rows["hpylori"],
                    rows["rbc"]]),
        procedure=("0W3P8ZZ \u2014 Control bleeding in gastrointestinal tract, via natural or "
                   "artificial opening endoscopic", 0.72,
                   ["treated with epinephrine injection and two hemoclips"]),
        stay=(3, 0.99, ["Admitted: 2026-11-13. Discharged: 2026-11-16."]),
        readmission=(False, 0.95, ["No admissions in the past year."]),
        pdfs=[pdf])


def aki():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-07. Discharged: 2026-11-10. Service: Hospital Medicine.",
        "HISTORY: 81-year-old man with hypertension on lisinopril and hydrochlorothiazide "
        "and chronic kidney disease stage 3a (baseline creatinine 1.3) was referred by his "
        "GP after routine bloods showed creatinine 3.4 and potassium 5.9. He reports a week "
        "of poor oral intake and two days of loose stools, now settled; stool studies "
        "including C. difficile toxin were negative.",
        "FINDINGS: Orthostatic drop of 28 mmHg; dry mucous membranes. Renal ultrasound: no "
        "hydronephrosis. Urine sodium under 20 mmol/L and bland sediment.",
        "HOSPITAL COURSE: Lisinopril and hydrochlorothiazide held. IV isotonic fluids; "
        "potassium treated with a binder and settled to 4.8. Creatinine improved to 1.6 by "
        "discharge with good urine output throughout. Felt to be prerenal acute kidney "
        "injury from volume depletion compounded by the ACE inhibitor and diuretic.",
        "DISCHARGE DIAGNOSES: 1. Acute kidney injury on CKD stage 3a, prerenal. "
        "2. Hyperkalemia. 3. Dehydration. 4. Hypertension.",
        "DISPOSITION: Home; GP to repeat renal function in one week before restarting "
        "antihypertensives. Outside records of prior hospital stays were not available.")
    data = {
        "creatinine_mg_dl": [{"date": "2026-11-07", "value": 3.4},
                             {"date": "2026-11-08", "value": 2.6},
                             {"date": "2026-11-09", "value": 1.9},
                             {"date": "2026-11-10", "value": 1.6}],
        "baseline_creatinine_mg_dl": 1.3,
        "potassium_mmol_l": {"admission": 5.9, "discharge": 4.8},
        "urine": {"sodium_mmol_l": 14, "sediment": "bland"},
        "orthostatics": {"lying": "132/70, HR 78", "standing": "104/58, HR 104"},
        "stool": {"c_difficile_toxin": "negative", "culture": "no pathogens"},
    }
    return clinical_task(
        12, title="Creatinine 3.4 on CKD 3a, ACE inhibitor and thiazide",
        created="2026-11-11T10:50:00-05:00", version="2026.11.0", priority=2,
        summary="Prerenal AKI on CKD 3a as principal; unsure between AKI and dehydration.",
        confidence=0.48, text=text,
        principal=(codes("N17.9", "E86.0", "N17.0", "A08.4"), code("N17.9"), 0.48,
                   ["1. Acute kidney injury on CKD stage 3a, prerenal.",
                    "Felt to be prerenal acute kidney injury from volume depletion",
                    pointer("vitals", "/creatinine_mg_dl/0/value"),
                    pointer("vitals", "/baseline_creatinine_mg_dl")]),
        secondary=(codes("N18.31", "E87.5", "E86.0", "I10", "I12.9", "T46.4X5A", "T50.2X5A"),
                   codes("N18.31", "E87.5", "E86.0", "I10"), 0.57,
                   ["chronic kidney disease stage 3a", "2. Hyperkalemia.", "3. Dehydration.",
                    pointer("vitals", "/potassium_mmol_l/admission")]),
        procedure=(None, 0.95, []),
        stay=(3, 0.99, ["Admitted: 2026-11-07. Discharged: 2026-11-10."]),
        readmission=(None, 0.3, ["Outside records of prior hospital stays were not available."]),
        records=[record("vitals", "Renal labs and orthostatics", data)])


def aspiration():
    # Hard: witnessed aspiration and dysphagia make this J69.0, not J18.9.
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-09. Discharged: 2026-11-15. Service: Geriatric Medicine.",
        "HISTORY: 87-year-old man with moderate Alzheimer dementia and oropharyngeal "
        "dysphagia on a soft diet, living in a nursing home, was sent in after staff saw "
        "him coughing and choking on food during dinner, followed by fever and rising "
        "oxygen needs overnight.",
        "FINDINGS: Temperature 38.6 C, SpO2 88% on room air, coarse crackles at the right "
        "base. Chest radiograph: new right lower lobe infiltrate.",
        "HOSPITAL COURSE: Bedside swallow assessment by speech and language therapy showed "
        "overt aspiration with thin liquids; diet changed to puree with mildly thick "
        "fluids. Ampicillin-sulbactam for seven days. Oxygen weaned off by day 4. Goals of "
        "care discussed with his daughter: continue ward-level treatment, no feeding tube.",
        "DISCHARGE DIAGNOSES: 1. Aspiration pneumonia, right lower lobe. 2. Oropharyngeal "
        "dysphagia. 3. Alzheimer dementia, moderate.",
        "DISPOSITION: Return to nursing home with updated swallowing plan. Previously "
        "discharged from this hospital on 2026-10-28 after a urinary tract infection.")
    return clinical_task(
        13, title="Nursing-home resident, choking at dinner, RLL infiltrate",
        created="2026-11-16T09:05:00-05:00", version="2026.10.2", priority=3,
        summary="Community-acquired pneumonia, organism unspecified; dementia and dysphagia "
                "as secondaries.",
        confidence=0.69, text=text,
        principal=(codes("J18.9", "J69.0", "J18.1", "J15.9"), code("J18.9"), 0.69,
                   ["Chest radiograph: new right lower lobe infiltrate.",
                    "Temperature 38.6 C, SpO2 88% on room air"]),
        secondary=(codes("G30.9", "F02.B0", "R13.12", "R13.10", "J96.01"),
                   codes("G30.9", "F02.B0", "R13.10"), 0.72,
                   ["3. Alzheimer dementia, moderate.", "2. Oropharyngeal dysphagia."]),
        procedure=(None, 0.92, []),
        stay=(6, 0.99, ["Admitted: 2026-11-09. Discharged: 2026-11-15."]),
        readmission=(True, 0.91, ["Previously discharged from this hospital on 2026-10-28"]))


def euglycemic_dka():
    # Hard: ketoacidosis in a patient with type 2 diabetes on an SGLT2
    # inhibitor is E11.10, with the drug's adverse effect coded after it.
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-11. Discharged: 2026-11-14. Service: Hospital Medicine.",
        "HISTORY: 52-year-old woman with type 2 diabetes on metformin and empagliflozin, "
        "and obesity (BMI 33), presented with two days of nausea, vomiting and malaise "
        "after two days of clear fluids ahead of a planned colonoscopy.",
        "FINDINGS: Glucose only 212 mg/dL, but venous pH 7.19, bicarbonate 11 mmol/L, "
        "anion gap 24 and beta-hydroxybutyrate 5.2 mmol/L. Lipase normal. No infection "
        "found. GAD antibodies negative; C-peptide appropriate for glucose.",
        "ASSESSMENT: Euglycemic diabetic ketoacidosis associated with SGLT2 inhibitor use "
        "in type 2 diabetes.",
        "HOSPITAL COURSE: Insulin infusion with dextrose-containing fluids until the anion "
        "gap closed at 20 hours, then basal insulin. Empagliflozin permanently stopped and "
        "recorded as an adverse drug reaction. Metformin resumed once eating.",
        "DISCHARGE DIAGNOSES: 1. Euglycemic DKA, type 2 diabetes, SGLT2 inhibitor "
        "associated. 2. Obesity, BMI 33.",
        "DISPOSITION: Home on metformin and insulin glargine. No hospitalisations in the "
        "last two years.")
    data = {
        "labs": {"glucose_mg_dl": 212, "venous_ph": 7.19, "bicarbonate_mmol_l": 11,
                 "anion_gap": 24, "beta_hydroxybutyrate_mmol_l": 5.2, "lipase_u_l": 41},
        "autoimmune": {"gad65_antibody": "negative", "c_peptide_ng_ml": 1.8},
        "medications_on_admission": ["metformin 1000 mg twice daily",
                                     "empagliflozin 25 mg daily", "atorvastatin 20 mg daily"],
        "bmi": 33.4,
    }
    return clinical_task(
        14, title="Vomiting, pH 7.19 with glucose 212 on empagliflozin",
        created="2026-11-15T11:25:00-05:00", version="2026.10.1", priority=4,
        summary="Diabetic ketoacidosis without coma; the ketoacidosis was taken to indicate "
                "type 1 diabetes.",
        confidence=0.57, text=text,
        principal=(codes("E10.10", "E11.10", "E10.11", "E11.65"), code("E10.10"), 0.57,
                   ["Euglycemic diabetic ketoacidosis", pointer("vitals", "/labs/venous_ph"),
                    pointer("vitals", "/labs/beta_hydroxybutyrate_mmol_l")]),
        secondary=(codes("T38.3X5A", "Z79.84", "Z79.4", "E66.9", "Z68.33", "E86.0"),
                   codes("E66.9", "Z68.33", "Z79.84"), 0.61,
                   ["2. Obesity, BMI 33.", "Empagliflozin permanently stopped and recorded as "
                    "an adverse drug reaction", pointer("vitals", "/medications_on_admission/1")]),
        procedure=(None, 0.95, []),
        stay=(3, 0.99, ["Admitted: 2026-11-11. Discharged: 2026-11-14."]),
        readmission=(False, 0.96, ["No hospitalisations in the last two years."]),
        records=[record("vitals", "Labs and medications", data)])


def atrial_fibrillation():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-15. Discharged: 2026-11-17. Service: Cardiology.",
        "HISTORY: 69-year-old woman with hypertension presented with palpitations and "
        "breathlessness that began that morning. ECG: atrial fibrillation with rapid "
        "ventricular response at 148 beats per minute, no ischemic changes. Troponin "
        "negative twice. TSH 0.08 mIU/L with free T4 2.1 ng/dL.",
        "FINDINGS: Echocardiogram with normal ejection fraction, mild left atrial "
        "enlargement and no significant valve disease. Thyroid ultrasound: multinodular "
        "goitre; uptake scan pattern of toxic multinodular goitre.",
        "HOSPITAL COURSE: Rate controlled with IV then oral diltiazem. She converted "
        "spontaneously to sinus rhythm within 20 hours and stayed in sinus rhythm on "
        "telemetry. CHA2DS2-VASc score 3; apixaban started. Endocrinology started "
        "methimazole.",
        "DISCHARGE DIAGNOSES: 1. New-onset paroxysmal atrial fibrillation with rapid "
        "ventricular response. 2. Thyrotoxicosis due to toxic multinodular goitre. "
        "3. Hypertension.",
        "DISPOSITION: Home. Cardiology and endocrinology follow-up. No recent admissions.")
    return clinical_task(
        15, title="Palpitations, AF at 148, low TSH", created="2026-11-18T08:45:00-05:00",
        version="2026.11.0", priority=1,
        summary="Paroxysmal atrial fibrillation with RVR; thyrotoxicosis, hypertension and "
                "new anticoagulation.",
        confidence=0.74, text=text,
        principal=(codes("I48.0", "I48.91", "I48.19", "E05.20"), code("I48.0"), 0.74,
                   ["She converted spontaneously to sinus rhythm within 20 hours",
                    "1. New-onset paroxysmal atrial fibrillation with rapid ventricular "
                    "response."]),
        secondary=(codes("E05.20", "E05.90", "I10", "Z79.01", "I51.7"),
                   codes("E05.90", "I10", "Z79.01"), 0.68,
                   ["2. Thyrotoxicosis due to toxic multinodular goitre.", "apixaban started",
                    "TSH 0.08 mIU/L with free T4 2.1 ng/dL"]),
        procedure=(None, 0.97, []),
        stay=(2, 0.99, ["Admitted: 2026-11-15. Discharged: 2026-11-17."]),
        readmission=(False, 0.88, ["No recent admissions."]))


def pulmonary_embolism():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-16. Discharged: 2026-11-19. Service: Hospital Medicine.",
        "HISTORY: 45-year-old woman taking a combined oral contraceptive, ten days after a "
        "long-haul flight, presented with pleuritic chest pain and breathlessness. Heart "
        "rate 108, SpO2 93% on room air. D-dimer 3.2 mg/L FEU.",
        "FINDINGS: CT pulmonary angiography: filling defects in segmental arteries of the "
        "right and left lower lobes; no saddle embolus; RV/LV ratio 0.8 with no right heart "
        "strain. Lower-limb duplex: acute occlusive thrombus in the right popliteal vein. "
        "Troponin and BNP normal.",
        "HOSPITAL COURSE: Enoxaparin, then rivaroxaban. Oxygen not needed after day 1. "
        "Oral contraceptive stopped; gynaecology advised a copper IUD. Thrombophilia testing "
        "deferred as the event was provoked.",
        "DISCHARGE DIAGNOSES: 1. Acute bilateral segmental pulmonary emboli without acute "
        "cor pulmonale. 2. Acute right popliteal deep vein thrombosis. 3. Provoked by "
        "estrogen-containing contraceptive and long-haul travel.",
        "DISPOSITION: Home on rivaroxaban for at least three months. First admission.")
    data = {
        "vitals": {"heart_rate": 108, "spo2_pct": 93, "resp_rate": 22, "bp": "122/78"},
        "labs": {"d_dimer_mg_l_feu": 3.2, "troponin_i_ng_ml": 0.01, "bnp_pg_ml": 42},
        "ctpa": {"emboli": ["right lower lobe segmental", "left lower lobe segmental"],
                 "saddle": False, "rv_lv_ratio": 0.8},
        "duplex": {"right_popliteal": "acute occlusive thrombus",
                   "left": "no thrombus"},
    }
    return clinical_task(
        16, title="Pleuritic pain after long flight, segmental PE", created="2026-11-20T09:10:00-05:00",
        version="2026.10.2", priority=1,
        summary="Bilateral segmental PE without cor pulmonale with right popliteal DVT; "
                "contraceptive-provoked.",
        confidence=0.9, text=text,
        principal=(codes("I26.99", "I26.92", "I26.09", "I82.431"), code("I26.99"), 0.91,
                   ["no saddle embolus; RV/LV ratio 0.8 with no right heart strain",
                    pointer("vitals", "/ctpa/emboli"), pointer("vitals", "/ctpa/saddle")]),
        secondary=(codes("I82.431", "Z79.3", "T38.4X5A", "Z79.01"),
                   codes("I82.431", "Z79.3", "T38.4X5A"), 0.77,
                   ["acute occlusive thrombus in the right popliteal vein",
                    "taking a combined oral contraceptive",
                    pointer("vitals", "/duplex/right_popliteal")]),
        procedure=(None, 0.96, []),
        stay=(3, 0.99, ["Admitted: 2026-11-16. Discharged: 2026-11-19."]),
        readmission=(False, 0.99, ["First admission."]),
        records=[record("vitals", "Vitals, labs and imaging", data)])


def pancreatitis():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-14. Discharged: 2026-11-19. Service: Gastroenterology.",
        "HISTORY: 49-year-old man with alcohol use disorder, about 12 drinks a day, "
        "presented with severe epigastric pain radiating to the back and vomiting, 24 "
        "hours after a binge. Lipase 1,840 U/L; ALT 96, AST 188.",
        "FINDINGS: CT abdomen on day 2 for persistent pain: edematous interstitial "
        "pancreatitis without necrosis or peripancreatic collection. Ultrasound: no "
        "gallstones. Triglycerides 180 mg/dL.",
        "HOSPITAL COURSE: Aggressive IV fluids, opioid analgesia and an early oral diet from "
        "day 3. Symptom-triggered lorazepam for alcohol withdrawal with tremor and "
        "tachycardia on days 2-3; no seizures or hallucinations. Thiamine and folate given. "
        "Addiction medicine consulted; he accepted referral to an outpatient programme.",
        "DISCHARGE DIAGNOSES: 1. Acute alcohol-induced pancreatitis without necrosis or "
        "infection. 2. Alcohol dependence with uncomplicated withdrawal. 3. Elevated "
        "transaminases.",
        "DISPOSITION: Home. No admissions in the last year.")
    data = {
        "labs": {"lipase_u_l": 1840, "alt_u_l": 96, "ast_u_l": 188, "triglycerides_mg_dl": 180,
                 "calcium_mg_dl": 8.6, "wbc_k_per_ul": 12.4, "ethanol_mg_dl": 64},
        "ciwa_ar_max": {"day_2": 14, "day_3": 11, "day_4": 3},
        "imaging": {"ct_abdomen": "Edematous interstitial pancreatitis. No necrosis or "
                                  "collection.",
                    "ultrasound": "No cholelithiasis. Common bile duct 4 mm."},
    }
    return clinical_task(
        17, title="Epigastric pain after a binge, lipase 1,840", created="2026-11-20T15:35:00-05:00",
        version="2026.10.2",
        summary="Alcohol-induced acute pancreatitis without necrosis; alcohol dependence with "
                "withdrawal.",
        confidence=0.86, text=text,
        principal=(codes("K85.20", "K85.21", "K85.90", "K86.0"), code("K85.20"), 0.87,
                   ["edematous interstitial pancreatitis without necrosis or peripancreatic "
                    "collection", "Ultrasound: no gallstones.",
                    pointer("vitals", "/labs/lipase_u_l")]),
        secondary=(codes("F10.230", "F10.20", "F10.239", "R74.01"),
                   codes("F10.230", "R74.01"), 0.82,
                   ["2. Alcohol dependence with uncomplicated withdrawal.",
                    "3. Elevated transaminases.", pointer("vitals", "/ciwa_ar_max/day_2")]),
        procedure=(None, 0.97, []),
        stay=(5, 0.99, ["Admitted: 2026-11-14. Discharged: 2026-11-19."]),
        readmission=(False, 0.93, ["No admissions in the last year."]),
        records=[record("vitals", "Labs, withdrawal scores and imaging", data)])


def bowel_obstruction():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-17. Discharged: 2026-11-21. Service: General Surgery.",
        "HISTORY: 63-year-old woman with a total abdominal hysterectomy in 2009 and an open "
        "cholecystectomy presented with crampy abdominal pain, distension, bilious vomiting "
        "and no flatus for 12 hours. She was discharged on 2026-11-02 after a similar "
        "episode that settled without surgery.",
        "FINDINGS: CT abdomen and pelvis: dilated proximal small bowel with a transition "
        "point in the pelvis and contrast reaching the colon, consistent with partial "
        "adhesive small bowel obstruction; no signs of ischemia.",
        "HOSPITAL COURSE: Nasogastric decompression, bowel rest and IV fluids. Water-soluble "
        "contrast reached the colon at 8 hours. NG tube removed on day 2, diet advanced, "
        "bowels open on day 3. Potassium 3.1 mmol/L repleted. Given the recurrence, surgery "
        "will discuss elective laparoscopic adhesiolysis in clinic.",
        "DISCHARGE DIAGNOSES: 1. Partial small bowel obstruction due to adhesions, "
        "recurrent. 2. Hypokalemia.",
        "DISPOSITION: Home; general surgery clinic in two weeks.")
    return clinical_task(
        18, title="Recurrent adhesive SBO, two weeks after last stay",
        created="2026-11-22T10:15:00-05:00", version="2026.11.0", priority=2,
        summary="Partial adhesive small bowel obstruction managed without surgery; "
                "hypokalemia.",
        confidence=0.68, text=text,
        principal=(codes("K56.51", "K56.50", "K56.52", "K56.609"), code("K56.51"), 0.68,
                   ["consistent with partial adhesive small bowel obstruction",
                    "1. Partial small bowel obstruction due to adhesions"]),
        secondary=(codes("E87.6", "Z90.710", "Z90.49", "E86.0"),
                   codes("E87.6", "Z90.710", "Z90.49"), 0.74,
                   ["Potassium 3.1 mmol/L repleted", "a total abdominal hysterectomy in 2009",
                    "an open cholecystectomy"]),
        procedure=(None, 0.7, ["Nasogastric decompression, bowel rest and IV fluids."]),
        stay=(4, 0.99, ["Admitted: 2026-11-17. Discharged: 2026-11-21."]),
        readmission=(True, 0.97, ["She was discharged on 2026-11-02 after a similar episode"]))


def hyponatremia():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-18. Discharged: 2026-11-21. Service: Hospital Medicine.",
        "HISTORY: 77-year-old woman with hypertension, started on hydrochlorothiazide 25 mg "
        "three weeks ago, presented with two days of nausea, unsteadiness and mild "
        "confusion. No seizures or falls.",
        "FINDINGS: Sodium 118 mmol/L, serum osmolality 252 mOsm/kg, urine sodium 64 "
        "mmol/L, urine osmolality 410 mOsm/kg. TSH and morning cortisol normal. Euvolemic to "
        "slightly dry on examination.",
        "ASSESSMENT: Symptomatic hyponatremia due to thiazide diuretic. SIADH considered "
        "less likely given the timing of the drug and the response to stopping it.",
        "HOSPITAL COURSE: Hydrochlorothiazide stopped. Fluid restriction to 1.2 L and a "
        "small normal saline bolus; sodium rose 7 mmol/L in the first 24 hours, 126 on day "
        "2 and 131 at discharge. Confusion resolved. Amlodipine substituted for blood "
        "pressure.",
        "DISCHARGE DIAGNOSES: 1. Hyponatremia, thiazide-induced. 2. Hypertension.",
        "DISPOSITION: Home. Repeat sodium in one week. No prior admissions this year.")
    data = {
        "sodium_mmol_l": [{"time": "2026-11-18T14:00", "value": 118},
                          {"time": "2026-11-19T14:00", "value": 125},
                          {"time": "2026-11-20T08:00", "value": 126},
                          {"time": "2026-11-21T08:00", "value": 131}],
        "serum_osmolality_mosm_kg": 252,
        "urine": {"sodium_mmol_l": 64, "osmolality_mosm_kg": 410},
        "tsh_miu_l": 2.2,
        "cortisol_am_ug_dl": 16.1,
    }
    return clinical_task(
        19, title="Sodium 118 three weeks after starting a thiazide",
        created="2026-11-22T13:40:00-05:00", version="2026.10.2", priority=1,
        summary="Thiazide-induced hyponatremia with the diuretic's adverse effect coded; "
                "SIADH not supported.",
        confidence=0.79, text=text,
        principal=(codes("E87.1", "E22.2", "E86.0", "R41.0"), code("E87.1"), 0.81,
                   ["Symptomatic hyponatremia due to thiazide diuretic",
                    pointer("vitals", "/sodium_mmol_l/0/value"),
                    pointer("vitals", "/serum_osmolality_mosm_kg")]),
        secondary=(codes("T50.2X5A", "I10", "R41.0", "E22.2"),
                   codes("T50.2X5A", "I10"), 0.76,
                   ["started on hydrochlorothiazide 25 mg three weeks ago",
                    "SIADH considered less likely", "2. Hypertension."]),
        procedure=(None, 0.98, []),
        stay=(3, 0.99, ["Admitted: 2026-11-18. Discharged: 2026-11-21."]),
        readmission=(False, 0.85, ["No prior admissions this year."]),
        records=[record("vitals", "Sodium trend and workup", data)])


def syncope():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-19. Discharged: 2026-11-21. Service: Geriatric Medicine.",
        "HISTORY: 82-year-old man with Parkinson disease on carbidopa-levodopa, benign "
        "prostatic hyperplasia on tamsulosin, and hypertension on amlodipine, was brought "
        "in after losing consciousness for about 20 seconds as he stood up from dinner. No "
        "tonic-clonic movements or incontinence; prompt recovery. A small scalp laceration "
        "was closed with tissue glue.",
        "FINDINGS: Blood pressure 146/82 lying and 98/56 after three minutes standing, "
        "reproducing his lightheadedness. ECG sinus rhythm with normal intervals; 48 hours "
        "of telemetry without arrhythmia. Echocardiogram: no aortic stenosis. CT head: no "
        "acute findings.",
        "ASSESSMENT: Syncope due to orthostatic hypotension, probably neurogenic from "
        "Parkinson disease and aggravated by tamsulosin and amlodipine.",
        "HOSPITAL COURSE: Amlodipine stopped, tamsulosin moved to bedtime, compression "
        "stockings and fluid advice. Physiotherapy assessed gait and supplied a walker.",
        "DISCHARGE DIAGNOSES: 1. Orthostatic hypotension with syncope. 2. Parkinson disease. "
        "3. Scalp laceration.",
        "DISPOSITION: Home with his wife. He was recently discharged from another hospital; "
        "dates not yet confirmed.")
    return clinical_task(
        20, title="Syncope on standing, Parkinson disease, BP 146 to 98",
        created="2026-11-23T08:20:00-05:00", version="2026.11.0", priority=2,
        summary="Orthostatic hypotension as principal; unsure whether a drug or neurogenic "
                "code fits better.",
        confidence=0.44, text=text,
        principal=(codes("I95.1", "R55", "I95.2", "G90.3"), code("I95.1"), 0.44,
                   ["Syncope due to orthostatic hypotension, probably neurogenic",
                    "Blood pressure 146/82 lying and 98/56 after three minutes standing"]),
        secondary=(codes("G20.A1", "N40.0", "S01.01XA", "I10", "T44.6X5A", "T46.1X5A"),
                   codes("G20.A1", "N40.0", "S01.01XA", "I10"), 0.58,
                   ["2. Parkinson disease.", "benign prostatic hyperplasia on tamsulosin",
                    "A small scalp laceration was closed with tissue glue.",
                    "aggravated by tamsulosin and amlodipine"]),
        procedure=(None, 0.9, []),
        stay=(2, 0.99, ["Admitted: 2026-11-19. Discharged: 2026-11-21."]),
        readmission=(None, 0.31, ["He was recently discharged from another hospital; dates "
                                  "not yet confirmed."]))


def pyelonephritis():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-20. Discharged: 2026-11-22. Service: Hospital Medicine.",
        "HISTORY: 34-year-old woman presented with two days of fever to 39.0 C, rigors, "
        "right flank pain and dysuria. Urine hCG negative.",
        "FINDINGS: Heart rate 104, blood pressure 118/72, normal mentation. Right "
        "costovertebral angle tenderness. WBC 15.8, creatinine 0.8, lactate 1.4. Urine "
        "culture: Escherichia coli over 100,000 CFU/mL, resistant only to ampicillin. "
        "Blood cultures negative. Renal ultrasound: no hydronephrosis or abscess.",
        "ASSESSMENT: Acute pyelonephritis without sepsis; no organ dysfunction.",
        "HOSPITAL COURSE: IV ceftriaxone and antiemetics; afebrile within 36 hours; "
        "switched to oral trimethoprim-sulfamethoxazole to complete seven days in total.",
        "DISCHARGE DIAGNOSES: 1. Acute right pyelonephritis, E. coli.",
        "DISPOSITION: Home. No prior admissions.")
    return clinical_task(
        21, title="Fever, right flank pain, E. coli in urine", created="2026-11-23T11:00:00-05:00",
        version="2026.10.2", priority=0,
        summary="Acute pyelonephritis due to E. coli, no sepsis.",
        confidence=0.87, text=text,
        principal=(codes("N10", "N39.0", "A41.51", "N12"), code("N10"), 0.88,
                   ["Acute pyelonephritis without sepsis; no organ dysfunction.",
                    "Right costovertebral angle tenderness."]),
        secondary=(codes("B96.20", "R65.10", "E86.0"), codes("B96.20"), 0.9,
                   ["Urine culture: Escherichia coli over 100,000 CFU/mL"]),
        procedure=(None, 0.97, []),
        stay=(2, 0.99, ["Admitted: 2026-11-20. Discharged: 2026-11-22."]),
        readmission=(False, 0.98, ["No prior admissions."]))


def diverticulitis():
    text = note(
        "DISCHARGE SUMMARY\nAdmitted: 2026-11-18. Discharged: 2026-11-24. Service: General Surgery.",
        "HISTORY: 61-year-old man with hypertension and known sigmoid diverticulosis "
        "presented with four days of left lower quadrant pain, fever of 38.7 C and "
        "anorexia. WBC 18.3.",
        "FINDINGS: CT abdomen and pelvis: sigmoid diverticulitis with a contained pericolic "
        "microperforation and a 4.2 cm rim-enhancing pelvic abscess; no free air or "
        "generalized peritonitis.",
        "HOSPITAL COURSE: IV piperacillin-tazobactam. Interventional radiology placed a "
        "CT-guided percutaneous drain into the pelvic abscess on 2026-11-19, draining 60 mL "
        "of pus that grew Bacteroides fragilis and E. coli. Pain and fever settled; repeat "
        "CT on day 5 showed near-complete resolution and the drain was removed. Changed to "
        "oral amoxicillin-clavulanate. Colorectal surgery will discuss elective sigmoid "
        "colectomy after colonoscopy in six weeks.",
        "DISCHARGE DIAGNOSES: 1. Complicated sigmoid diverticulitis with perforation and "
        "pelvic abscess. 2. Hypertension.",
        "DISPOSITION: Home. No prior hospitalisations.")
    return clinical_task(
        22, title="Sigmoid diverticulitis with pelvic abscess, IR drain",
        created="2026-11-25T09:00:00-05:00", version="2026.11.0", priority=1,
        summary="Diverticulitis of the large intestine with perforation and abscess; "
                "percutaneous drainage.",
        confidence=0.8, text=text,
        principal=(codes("K57.20", "K57.32", "K57.80", "K65.1"), code("K57.20"), 0.82,
                   ["a contained pericolic microperforation and a 4.2 cm rim-enhancing pelvic "
                    "abscess", "1. Complicated sigmoid diverticulitis with perforation and "
                    "pelvic abscess."]),
        secondary=(codes("I10", "B96.6", "B96.20", "K65.1"), codes("I10", "B96.6", "B96.20"),
                   0.73, ["grew Bacteroides fragilis and E. coli", "2. Hypertension."]),
        procedure=("0W9J30Z \u2014 Drainage of pelvic cavity with drainage device, "
                   "percutaneous approach", 0.69,
                   ["CT-guided percutaneous drain into the pelvic abscess on 2026-11-19"]),
        stay=(6, 0.99, ["Admitted: 2026-11-18. Discharged: 2026-11-24."]),
        readmission=(False, 0.97, ["No prior hospitalisations."]))


def main():
    tasks = [nstemi(), pneumonia(), urosepsis(), copd(), heart_failure(), hip_fracture(),
             appendicitis(), dka(), stroke(), cellulitis(), gi_bleed(), aki(), aspiration(),
             euglycemic_dka(), atrial_fibrillation(), pulmonary_embolism(), pancreatitis(),
             bowel_obstruction(), hyponatremia(), syncope(), pyelonephritis(), diverticulitis()]
    common.write_queue("clinical", tasks)


if __name__ == "__main__":
    main()
