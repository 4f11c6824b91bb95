# SPDX-License-Identifier: GPL-3.0-or-later
"""Invoice-extraction review tasks: draws each invoice scan with ImageMagick.

Every value drawn on a scan has its bounding box recorded, so each extracted
field points at the exact pixels it was read from.  A few tasks carry a
deliberate misread: the scan shows the truth, the field holds what the model
read.  All companies, addresses and numbers are invented.
"""

import datetime
import random
import subprocess

import common

CONVERT = "/usr/bin/convert"
WIDTH, HEIGHT = 800, 1040
SANS, BOLD, MONO = "DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Mono"
# Average advance per point size, a little generous so a box covers its text.
ADVANCE = {SANS: 0.64, BOLD: 0.67, MONO: 0.61}
INK, GREY, RULE = "#222222", "#666666", "#c4c4c4"


class Canvas:
    """Collects drawing operations and the region of every string drawn."""

    def __init__(self, paper):
        self.paper = paper
        self.args = []

    def text(self, x, y, s, size=12, font=SANS, fill=INK):
        """Draws s with its baseline at y; returns its region."""
        escaped = s.replace("\\", "\\\\").replace("'", "\\'")
        self.args += ["-font", font, "-pointsize", str(size), "-fill", fill,
                      "-draw", f"text {x},{y} '{escaped}'"]
        return region(x, y, s, size, font)

    def rtext(self, right, y, s, size=12, font=MONO, fill=INK):
        """Draws s so that it ends at right (exact for the monospaced font)."""
        x = round(right - {MONO: 0.602, BOLD: 0.66, SANS: 0.58}[font] * size * len(s))
        return self.text(x, y, s, size, font, fill)

    def line(self, x1, y1, x2, y2, colour=RULE, width=1):
        self.args += ["-draw", f"stroke {colour} stroke-width {width} line {x1},{y1} {x2},{y2}"]

    def rect(self, x1, y1, x2, y2, fill="none", stroke=RULE):
        self.args += ["-draw", f"fill {fill} stroke {stroke} rectangle {x1},{y1} {x2},{y2}"]

    def png(self):
        command = [CONVERT, "-size", f"{WIDTH}x{HEIGHT}", f"xc:{self.paper}", "-stroke", "none"]
        command += self.args + ["+dither", "-colors", "16", "-depth", "8", "-strip",
                                "-define", "png:exclude-chunk=date,time", "png:-"]
        return subprocess.run(command, check=True, capture_output=True).stdout


def region(x, y, s, size, font):
    """The box of a string drawn at x,y, clipped to the page."""
    left, top = x - 2, round(y - 0.85 * size) - 2
    right = left + round(ADVANCE[font] * size * len(s)) + 4
    bottom = top + round(1.1 * size) + 4
    left, top = max(0, left), max(0, top)
    right, bottom = min(WIDTH, right), min(HEIGHT, bottom)
    return {"x": left, "y": top, "w": max(1, right - left), "h": max(1, bottom - top)}


def union(*regions):
    left = min(r["x"] for r in regions)
    top = min(r["y"] for r in regions)
    right = max(r["x"] + r["w"] for r in regions)
    bottom = max(r["y"] + r["h"] for r in regions)
    return {"x": left, "y": top, "w": right - left, "h": bottom - top}


# How each locale writes money and dates.
def money(value, style):
    whole, cents = f"{value:,.2f}".split(".")
    if style == "de":
        return whole.replace(",", ".") + "," + cents
    if style == "ch":
        return whole.replace(",", "'") + "." + cents
    return whole + "." + cents


MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


def written_date(day, style):
    if style == "de":
        return day.strftime("%d.%m.%Y")
    if style == "uk":
        return day.strftime("%d/%m/%Y")
    if style == "us":
        return day.strftime("%m/%d/%Y")
    if style == "long":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if style == "uslong":
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return day.isoformat()


# Vendors: name, address, currency, money style, date style, VAT label and
# rate, invoice number pattern, bank, catalogue of (description, unit price).
VENDORS = [
    dict(name="Nordwind Logistik GmbH",
         address=["Speicherstraße 14", "20457 Hamburg", "Germany"],
         currency="EUR", money="de", date="de", tax="USt.", rate=19,
         number="NW-2026-{:04d}", bank="Hanseatische Volksbank", iban="DE41 2004 1133 0712 4590 18",
         bic="HAVODEHHXXX", reg="HRB 118204 · USt-IdNr. DE 318 552 907",
         items=[("Pallet freight Hamburg - Rotterdam", 640.00), ("Customs clearance", 85.00),
                ("Warehouse storage, per pallet-week", 12.50), ("Fuel surcharge", 48.20),
                ("Tail-lift delivery", 65.00), ("Pallet exchange fee", 9.80)]),
    dict(name="Brightwater Office Supplies Ltd",
         address=["Unit 7, Kelvin Park", "Leeds LS10 2QT", "United Kingdom"],
         currency="GBP", money="en", date="uk", tax="VAT", rate=20,
         number="BOS-{:06d}", bank="Pennine Mutual Bank", iban="GB29 PNMB 4012 7715 3309 42",
         bic="PNMBGB2L", reg="Company no. 08813274 · VAT GB 274 1180 66",
         items=[("A4 copier paper, 80 gsm (box of 5 reams)", 24.90), ("Toner cartridge TK-5240K", 68.50),
                ("Ergonomic mesh chair", 189.00), ("Whiteboard markers, assorted (12)", 7.45),
                ("Archive boxes (pack of 10)", 18.20), ("Desk organiser, steel", 14.99)]),
    dict(name="Halvorsen & Daughters Catering LLC",
         address=["418 Larchmont Ave", "Columbus, OH 43215", "USA"],
         currency="USD", money="en", date="us", tax="Sales tax", rate=7.5,
         number="HDC-{:05d}", bank="Buckeye Commerce Bank", iban="4410 2093 7781 · ABA 044072316",
         bic="BCKEUS33", reg="EIN 84-2291047",
         items=[("Working lunch buffet, per guest", 18.75), ("Coffee & pastry service, per guest", 7.50),
                ("Vegetarian platter", 96.00), ("Staff service, per hour", 42.00),
                ("Linen and tableware rental", 120.00), ("Delivery and set-up", 65.00)]),
    dict(name="Alpenblick Druckerei AG",
         address=["Bahnhofstrasse 52", "8001 Zürich", "Schweiz"],
         currency="CHF", money="ch", date="de", tax="MWST", rate=8.1,
         number="AD-26-{:04d}", bank="Zürcher Gewerbebank", iban="CH56 0483 5012 3456 7800 9",
         bic="ZGBKCHZZ80A", reg="CHE-412.339.870 MWST",
         items=[("Broschüre A5, 24 Seiten, 500 Stk.", 1180.00), ("Visitenkarten, 250 Stk.", 64.00),
                ("Plakat A1, 4-farbig", 38.50), ("Satz und Gestaltung, pro Stunde", 115.00),
                ("Proof-Druck", 45.00), ("Versand Express", 22.00)]),
    dict(name="Van Dijk Schoonmaak B.V.",
         address=["Keizersgracht 288", "1016 EW Amsterdam", "Nederland"],
         currency="EUR", money="de", date="uk", tax="BTW", rate=21,
         number="VDS{:05d}", bank="Grachtenbank N.V.", iban="NL91 GRBK 0417 1643 00",
         bic="GRBKNL2A", reg="KvK 71204588 · BTW NL8620.44.718.B01",
         items=[("Kantoorschoonmaak, maandcontract", 1450.00), ("Glasbewassing buitenzijde", 285.00),
                ("Dieptereiniging tapijt, per m2", 4.20), ("Sanitaire voorzieningen", 96.00),
                ("Afvalafvoer, per container", 38.00)]),
    dict(name="Atelier Morel SARL",
         address=["17 rue des Tanneurs", "69002 Lyon", "France"],
         currency="EUR", money="de", date="uk", tax="TVA", rate=20,
         number="F2026-{:04d}", bank="Banque du Rhône", iban="FR76 3006 6100 4100 0105 8230 164",
         bic="BDRHFRPP", reg="SIRET 812 447 390 00021 · TVA FR 41 812447390",
         items=[("Conception graphique, forfait", 900.00), ("Retouche photo, par image", 35.00),
                ("Impression fine art 50x70", 78.00), ("Encadrement chêne", 112.00),
                ("Livraison Lyon intra-muros", 25.00)]),
    dict(name="Kestrel Cloud Services Inc.",
         address=["2210 Harbor Blvd, Suite 400", "Oakland, CA 94607", "USA"],
         currency="USD", money="en", date="uslong", tax="Tax", rate=8.25,
         number="KCS-{:07d}", bank="Bayfront National Bank", iban="7719 0042 5518 · ABA 121044719",
         bic="BFNBUS6S", reg="Tax ID 47-3308812",
         items=[("Managed Kubernetes cluster, monthly", 1240.00), ("Object storage, per TB-month", 21.00),
                ("Premium support plan", 450.00), ("Egress traffic, per 100 GB", 8.00),
                ("Static IP addresses", 3.60), ("Backup vault, per 500 GB", 15.00)]),
    dict(name="Glenmore Fleet Repairs Ltd",
         address=["3 Dockside Road", "Aberdeen AB11 5PL", "United Kingdom"],
         currency="GBP", money="en", date="long", tax="VAT", rate=20,
         number="GFR/{:05d}", bank="Granite City Bank", iban="GB82 GCBK 8032 1155 0078 21",
         bic="GCBKGB2A", reg="Company no. SC402917 · VAT GB 318 0442 17",
         items=[("Labour, per hour", 68.00), ("Brake pads, front axle (set)", 142.50),
                ("Annual service, light commercial", 245.00), ("Tyre 215/65 R16C", 118.00),
                ("Diagnostic check", 55.00), ("Coolant, 5 l", 19.80)]),
    dict(name="Sonnental Energie GmbH",
         address=["Wienerbergstraße 9", "1100 Wien", "Österreich"],
         currency="EUR", money="de", date="de", tax="USt.", rate=20,
         number="SE-{:06d}", bank="Donau Raiffeisen", iban="AT48 3200 0000 1234 5864",
         bic="DRAIATWW", reg="FN 448120 k · UID ATU71184205",
         items=[("Wartung PV-Anlage 30 kWp", 480.00), ("Wechselrichter-Tausch", 1360.00),
                ("Anfahrtspauschale", 55.00), ("Messprotokoll", 90.00),
                ("Kabel und Kleinmaterial", 37.40)]),
    dict(name="Rheinfels Laborbedarf GmbH",
         address=["Industriestraße 31", "68169 Mannheim", "Germany"],
         currency="EUR", money="de", date="iso", tax="MwSt.", rate=19,
         number="RL-{:05d}", bank="Kurpfalz Kreditbank", iban="DE12 6705 0505 0039 8812 47",
         bic="KPKBDE6MXXX", reg="HRB 730122 · USt-IdNr. DE 291 404 663",
         items=[("Pipettenspitzen 200 µl (10 x 96)", 58.00), ("Nitrilhandschuhe M (Karton)", 64.90),
                ("Zentrifugenröhrchen 50 ml (500)", 112.00), ("Laborwaage 0,1 mg, kalibriert", 1890.00),
                ("Messkolben 250 ml", 14.30), ("Ethanol 70 %, 5 l", 21.50)]),
    dict(name="Lakeshore Print & Sign Co.",
         address=["95 W Randolph St", "Chicago, IL 60601", "USA"],
         currency="USD", money="en", date="us", tax="Sales tax", rate=10.25,
         number="LPS{:05d}", bank="Prairie State Bank", iban="3308 1172 9904 · ABA 071003381",
         bic="PRSBUS44", reg="EIN 36-4471902",
         items=[("Vinyl banner 3 x 8 ft", 84.00), ("Foam board sign 24 x 36 in", 46.00),
                ("Window decals, per sq ft", 9.50), ("Installation, per hour", 75.00),
                ("Design proof", 35.00)]),
    dict(name="Berner Software Treuhand GmbH",
         address=["Marktgasse 3", "3011 Bern", "Schweiz"],
         currency="CHF", money="ch", date="de", tax="MWST", rate=8.1,
         number="BST-{:05d}", bank="Aare Kantonalbank", iban="CH93 0076 2011 6238 5295 7",
         bic="AAREKCH22", reg="CHE-109.774.312 MWST",
         items=[("Lizenz Buchhaltung Pro, Jahresabo", 1290.00), ("Einrichtung und Datenmigration", 780.00),
                ("Schulung, halber Tag", 540.00), ("Support-Pauschale Q4", 360.00)]),
    dict(name="Quayside Coffee Roasters Ltd",
         address=["12 Wapping Lane", "Bristol BS1 4RH", "United Kingdom"],
         currency="GBP", money="en", date="uk", tax="VAT", rate=20,
         number="QCR-{:04d}", bank="Severn Trade Bank", iban="GB07 STBK 6091 0233 4417 50",
         bic="STBKGB21", reg="Company no. 10552093 · VAT GB 261 9931 40",
         items=[("Espresso machine service", 165.00), ("Grinder burr set", 89.00),
                ("Barista training, half day", 240.00), ("Water filter cartridge", 42.50),
                ("Descaler, 1 l", 11.90)]),
    dict(name="Liffey Digital Ltd",
         address=["40 Pearse Street", "Dublin 2, D02 X285", "Ireland"],
         currency="EUR", money="en", date="uk", tax="VAT", rate=23,
         number="LD-{:05d}", bank="Eastlink Bank Ireland", iban="IE64 ELBK 9311 5200 4417 28",
         bic="ELBKIE2D", reg="CRO 611842 · VAT IE 3318842KH",
         items=[("Website maintenance, November", 650.00), ("Accessibility audit", 1200.00),
                ("Hosting, monthly", 45.00), ("Content updates, per hour", 70.00),
                ("SSL certificate, annual", 60.00)]),
]

# Who gets billed, by the vendor's currency.
CUSTOMERS = {
    "GBP": [["Marlowe Home Goods Ltd", "Accounts Payable", "22 Chandlers Row", "Manchester M4 6BF"],
            ["Pinewood Architects LLP", "Finance Team", "9 Harrow Mews", "London W2 1QA"]],
    "EUR": [["Tessera Medical GmbH", "Kreditorenbuchhaltung", "Am Kaiserkai 61", "20457 Hamburg"],
            ["Veldhuis Interieur B.V.", "Crediteurenadministratie", "Prinsengracht 512",
             "1017 KH Amsterdam"]],
    "CHF": [["Ostwind Bikes AG", "Buchhaltung", "Seestrasse 118", "8800 Thalwil"]],
    "USD": [["Cobalt Ridge Outfitters Inc.", "Attn: Accounts Payable", "1770 Mercer St",
             "Denver, CO 80202"],
            ["Summit Lane Dental Group", "Attn: Billing", "604 Elm Grove Rd", "Dayton, OH 45402"]],
}

# Which vendor each invoice comes from, in order.
ORDER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 1, 3, 4, 6, 7]

# Deliberate misreads, by invoice index: what the model got wrong.
MISREADS = {1: "total", 2: "date", 6: "vendor", 9: "thousands", 16: "line_dropped"}
# The model found no value here at all.
MISSING = {12: "vat_rate"}


def misread_digit(value):
    """1284.50 -> 1234.50: one digit looks like another on a poor scan."""
    swaps = {"8": "3", "6": "5", "5": "6", "3": "8", "7": "1", "9": "4", "4": "9", "2": "7",
             "1": "7", "0": "8"}
    text = f"{value:.2f}"
    for i, ch in enumerate(text):
        if i > 0 and ch in swaps:
            return float(text[:i] + swaps[ch] + text[i + 1:])
    return value


def draw_invoice(inv, rng, layout):
    """Draws one invoice; returns (png bytes, regions by field name)."""
    v = inv["vendor"]
    canvas = Canvas(rng.choice(["#ffffff", "#fdfdfb", "#fbfaf6"]))
    regions = {}
    accent = rng.choice(["#1d3f6e", "#2a5d3b", "#6b2a2a", "#333333", "#6a4b12"])

    # Letterhead.
    if layout == 0:
        canvas.rect(60, 48, 130, 118, fill="#e8e8e8", stroke="#9a9a9a")
        canvas.text(75, 89, "LOGO", 12, BOLD, "#8a8a8a")
        regions["vendor"] = canvas.text(150, 72, v["name"], 20, BOLD, accent)
        y = 94
        for line in v["address"]:
            canvas.text(150, y, line, 11, SANS, GREY)
            y += 15
        canvas.text(560, 82, "INVOICE", 30, BOLD, accent)
        meta_x, meta_vx, meta_y = 480, 600, 150
    elif layout == 1:
        canvas.text(60, 86, "INVOICE", 32, BOLD, accent)
        regions["vendor"] = canvas.text(420, 66, v["name"], 16, BOLD, INK)
        y = 86
        for line in v["address"]:
            canvas.text(420, y, line, 11, SANS, GREY)
            y += 15
        canvas.line(60, 140, 740, 140, accent, 2)
        meta_x, meta_vx, meta_y = 60, 180, 170
    else:
        regions["vendor"] = canvas.text(60, 70, v["name"], 22, BOLD, accent)
        canvas.text(60, 92, " · ".join(v["address"]), 11, SANS, GREY)
        canvas.rect(640, 40, 740, 100, fill="none", stroke=accent)
        initials = "".join(w[0] for w in v["name"].split() if w[0].isupper())[:3]
        canvas.text(690 - round(0.33 * 18 * len(initials)), 77, initials, 18, BOLD, accent)
        canvas.text(60, 146, "INVOICE", 26, BOLD, INK)
        meta_x, meta_vx, meta_y = 470, 590, 130

    # Invoice number, dates, currency.
    labels = [("Invoice no.", inv["number"], "invoice_number"),
              ("Invoice date", inv["date_text"], "invoice_date"),
              ("Due date", inv["due_text"], None),
              ("Currency", v["currency"], "currency")]
    if inv.get("po"):
        labels.append(("PO number", inv["po"]["po_number"], None))
    y = meta_y
    for label, value, name in labels:
        canvas.text(meta_x, y, label + ":", 12, SANS, GREY)
        box = canvas.text(meta_vx, y, value, 12, SANS, INK)
        if name:
            regions[name] = box
        y += 20

    # Bill to.
    bill_x, bill_y = (60, 170) if layout != 1 else (470, 170)
    if layout == 2:
        bill_y = 185
    canvas.text(bill_x, bill_y, "Bill to", 11, BOLD, GREY)
    y = bill_y + 20
    for i, line in enumerate(inv["customer"]):
        canvas.text(bill_x, y, line, 12, BOLD if i == 0 else SANS, INK)
        y += 17

    # Line items.
    top = 330
    desc_x = 60 if layout != 2 else 70
    qty_r, unit_r, amount_r = rng.choice([(470, 600, 740), (450, 590, 740), (500, 620, 735)])
    canvas.rect(desc_x - 8, top - 20, amount_r + 6, top + 8,
                fill=rng.choice(["#eeeeee", "#e9eef5", "#f1efe8"]), stroke="none")
    canvas.text(desc_x, top, "Description", 12, BOLD, INK)
    canvas.rtext(qty_r, top, "Qty", 12, BOLD, INK)
    canvas.rtext(unit_r, top, "Unit price", 12, BOLD, INK)
    canvas.rtext(amount_r, top, "Amount", 12, BOLD, INK)
    y = top + 34
    rows = []
    for item in inv["items"]:
        boxes = [canvas.text(desc_x, y, item["description"], 12, SANS, INK),
                 canvas.rtext(qty_r, y, f"{item['qty']:g}", 12),
                 canvas.rtext(unit_r, y, money(item["unit"], v["money"]), 12),
                 canvas.rtext(amount_r, y, money(item["amount"], v["money"]), 12)]
        rows.append(union(*boxes))
        canvas.line(desc_x - 8, y + 10, amount_r + 6, y + 10)
        y += 30
    regions["line_items"] = union(*rows)

    # Totals.
    y += 24
    label_x = unit_r - 150
    canvas.text(label_x, y, "Subtotal", 12, SANS, INK)
    regions["subtotal"] = canvas.rtext(amount_r, y, money(inv["subtotal"], v["money"]), 12)
    y += 22
    regions["vat_rate"] = canvas.text(label_x, y, f"{v['tax']} {inv['rate']:g}%", 12, SANS, INK)
    canvas.rtext(amount_r, y, money(inv["vat"], v["money"]), 12)
    y += 12
    canvas.line(label_x - 6, y, amount_r + 6, y, INK, 1)
    y += 24
    canvas.text(label_x, y, f"TOTAL {v['currency']}", 15, BOLD, INK)
    regions["total"] = canvas.rtext(amount_r, y, money(inv["total"], v["money"]), 15, MONO)
    y += 10
    canvas.line(label_x - 6, y, amount_r + 6, y, INK, 2)

    # Payment details and footer.
    y = max(y + 60, 800)
    canvas.text(60, y, "Payment details", 12, BOLD, accent)
    canvas.text(60, y + 20, f"Bank: {v['bank']}", 11, SANS, INK)
    us = v["currency"] == "USD"
    canvas.text(60, y + 37, f"{'Account' if us else 'IBAN'}: {v['iban']}", 11, MONO, INK)
    canvas.text(60, y + 54, f"{'SWIFT' if us else 'BIC'}: {v['bic']}", 11, MONO, INK)
    canvas.text(60, y + 71, f"Reference: {inv['number']}", 11, SANS, INK)
    canvas.text(420, y + 20, f"Payment terms: {inv['terms']} days net", 11, SANS, GREY)
    canvas.text(420, y + 37, "Thank you for your business.", 11, SANS, GREY)
    canvas.line(60, 990, 740, 990)
    canvas.text(60, 1010, v["reg"], 9, SANS, GREY)
    canvas.text(690, 1010, "Page 1 of 1", 9, SANS, GREY)
    return canvas.png(), regions


def make_invoice(index, rng):
    v = VENDORS[ORDER[index]]
    day = datetime.date(2026, 10, 20) + datetime.timedelta(days=rng.randrange(0, 26))
    if MISREADS.get(index) == "date":
        day = datetime.date(2026, 11, 4)  # 11/04/2026 on a US invoice
    terms = rng.choice([14, 30, 30, 45])
    due = day + datetime.timedelta(days=terms)
    count = rng.randint(2, 6)
    picks = rng.sample(v["items"], min(count, len(v["items"])))
    items = []
    for description, unit in picks:
        qty = rng.choice([1, 1, 2, 3, 4, 5, 6, 10, 12]) if unit < 300 else rng.choice([1, 1, 2])
        items.append({"description": description, "qty": qty, "unit": unit,
                      "amount": round(qty * unit, 2)})
    if MISREADS.get(index) == "thousands" and sum(i["amount"] for i in items) < 1000:
        items[0]["qty"] = 1
        items[0]["unit"] = items[0]["amount"] = 1890.00
        items[0]["description"] = "Laborwaage 0,1 mg, kalibriert"
    subtotal = round(sum(i["amount"] for i in items), 2)
    digits = int(v["number"].split("{:0")[1][0])
    vat = round(subtotal * v["rate"] / 100, 2)
    total = round(subtotal + vat, 2)
    inv = {
        "vendor": v, "number": v["number"].format(rng.randrange(10 ** (digits - 2), 10 ** digits)),
        "day": day, "due": due, "terms": terms,
        "date_text": written_date(day, v["date"]), "due_text": written_date(due, v["date"]),
        "customer": rng.choice(CUSTOMERS[v["currency"]]),
        "items": items, "subtotal": subtotal, "rate": v["rate"], "vat": vat, "total": total,
    }
    if index % 2 == 0:
        inv["po"] = {
            "po_number": f"PO-{55000 + index * 37}",
            "vendor": v["name"],
            "currency": v["currency"],
            "lines": [{"description": i["description"], "qty": i["qty"], "unit_price": i["unit"]}
                      for i in items],
            "total": total,
            "approved_by": rng.choice(["J. Okafor", "M. Lindqvist", "S. Brandt", "A. Mehta"]),
        }
    return inv


def item_line(item):
    return f"{item['description']}: {item['qty']:g} x {item['unit']:.2f} = {item['amount']:.2f}"


def make_task(index, inv, png, regions, rng):
    v = inv["vendor"]
    kind = MISREADS.get(index)
    good = lambda: round(rng.uniform(0.93, 0.995), 2)
    weak = lambda: round(rng.uniform(0.42, 0.74), 2)

    values = {
        "vendor": v["name"], "invoice_number": inv["number"], "invoice_date": inv["day"].isoformat(),
        "currency": v["currency"], "subtotal": inv["subtotal"], "vat_rate": inv["rate"],
        "total": inv["total"],
        "line_items": "\n".join(item_line(i) for i in inv["items"]),
    }
    conf = {name: good() for name in values}
    if not kind and rng.random() < 0.35:
        # Unsure, though right.
        conf[rng.choice(sorted(values))] = round(rng.uniform(0.7, 0.89), 2)
    if kind == "total":
        values["total"] = misread_digit(inv["total"])
        conf["total"] = weak()
    elif kind == "date":
        values["invoice_date"] = datetime.date(2026, 4, 11).isoformat()
        conf["invoice_date"] = weak()
    elif kind == "vendor":
        values["vendor"] = v["name"][:18].rstrip()
        conf["vendor"] = weak()
    elif kind == "thousands":
        # "1.284,50" read with "." as the decimal point.
        values["subtotal"] = float(money(inv["subtotal"], "de").split(",")[0])
        conf["subtotal"] = 0.91  # confidently wrong
    elif kind == "line_dropped":
        values["line_items"] = "\n".join(item_line(i) for i in inv["items"][:-1])
        conf["line_items"] = weak()
    for name in MISSING.get(index, "").split():
        values[name] = None
        conf[name] = round(rng.uniform(0.15, 0.35), 2)

    def anchor(name):
        return [{"source": "scan", "region": regions[name]}]

    fields = [
        {"name": "vendor", "title": "Vendor", "type": "text"},
        {"name": "invoice_number", "title": "Invoice number", "type": "text"},
        {"name": "invoice_date", "title": "Invoice date", "type": "date"},
        {"name": "currency", "title": "Currency", "type": "choice",
         "choices": ["EUR", "GBP", "USD", "CHF"]},
        {"name": "subtotal", "title": "Subtotal", "type": "number"},
        {"name": "vat_rate", "title": "VAT rate (%)", "type": "number"},
        {"name": "total", "title": "Total", "type": "number"},
        {"name": "line_items", "title": "Line items", "type": "long_text"},
    ]
    for field in fields:
        name = field["name"]
        field["value"] = values[name]
        field["confidence"] = conf[name]
        field["evidence"] = anchor(name)
    if inv.get("po"):
        fields[0]["evidence"].append({"source": "po", "pointer": "/vendor"})
        fields[3]["evidence"].append({"source": "po", "pointer": "/currency"})
        fields[6]["evidence"].append({"source": "po", "pointer": "/total"})
        fields[7]["evidence"].append({"source": "po", "pointer": "/lines"})

    blob, size = common.write_blob(png, "png")
    evidence = [{"id": "scan", "kind": "image", "title": "Invoice scan", "media_type": "image/png",
                 "blob": blob, "size": size, "width": WIDTH, "height": HEIGHT}]
    if inv.get("po"):
        evidence.append({"id": "po", "kind": "record", "title": "Purchase order",
                         "record": inv["po"]})

    lines = values["line_items"].count("\n") + 1
    parts = [f"Extracted invoice {values['invoice_number']} from {values['vendor']}",
             f"dated {values['invoice_date']}",
             f"total {values['currency']} {values['total']:,.2f}"]
    parts.append(f"incl. {values['vat_rate']:g}% tax" if values["vat_rate"] is not None
                 else "tax rate not found")
    parts.append(f"{lines} line item{'s' if lines != 1 else ''}")
    summary = ", ".join(parts) + "."

    # Scanned a few days after the invoice date, and never before November.
    received = max(inv["day"] + datetime.timedelta(days=rng.randint(1, 5)), datetime.date(2026, 11, 2))
    created = datetime.datetime(received.year, received.month, received.day, 7, 0,
                                tzinfo=datetime.timezone.utc) + datetime.timedelta(
                                    minutes=rng.randrange(0, 600))
    due_at = None
    if index % 3 != 2:
        due_at = (created + datetime.timedelta(days=rng.choice([1, 2, 3]))).strftime("%Y-%m-%dT%H:%M:%SZ")
    task = {
        "id": f"inv-{index + 1:04d}",
        "title": f"Invoice {inv['number']} from {v['name']}",
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "priority": min(5, int(inv["total"] // 1500) + (2 if kind else 0)),
        "due_at": due_at,
        "instructions": "Check the extracted fields against the scan.",
        "model": {"name": "invoice-ocr", "version": "4.2.0"},
        "output": {"summary": summary, "confidence": min(conf.values()), "fields": fields},
        "evidence": evidence,
    }
    return task


def main():
    rng = random.Random(1129)
    tasks = []
    for index in range(len(ORDER)):
        inv = make_invoice(index, rng)
        png, regions = draw_invoice(inv, rng, index % 3)
        tasks.append(make_task(index, inv, png, regions, rng))
    common.write_queue("invoices", tasks)


if __name__ == "__main__":
    main()
