# SPDX-License-Identifier: GPL-3.0-or-later
"""Synthetic card-fraud review tasks for the "fraud" sample queue.

Every merchant, cardholder, card suffix and device is invented. Each task
carries the flagged transaction as a record, often the cardholder profile as a
second record, and an analyst note; the model's fields point into both. A few
cases are deliberately hard: the model's call is probably wrong (a travel
notice it ignored, a new phone the cardholder confirmed, card testing it
waved through).
"""

import common

MODEL = "fraud-gbm"
CURRENT = "2026.11.1"
PREVIOUS = "2026.10.4"

REASONS = [
    "account_takeover",
    "card_not_present",
    "card_testing",
    "counterfeit",
    "friendly_fraud",
    "lost_stolen",
    "none",
]

CONFIRM = "Confirm or overturn the fraud flag."


def resolve(record, pointer):
    """Follows an RFC 6901 pointer; fails loudly if it does not resolve."""
    node = record
    if pointer == "":
        return node
    assert pointer.startswith("/"), pointer
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        else:
            node = node[token]
    return node


def anchors(sources, note, fragments=(), pointers=()):
    """Text spans on the note, then record pointers ("account:/x" for the profile)."""
    out = [common.span(note, fragment, "note") for fragment in fragments]
    for pointer in pointers:
        source, _, path = pointer.rpartition(":")
        source = source or "txn"
        resolve(sources[source], path)
        out.append({"source": source, "pointer": path})
    return out


def seen_countries(txn):
    """Each country the transaction shows, with the first pointer that shows it."""
    pointers = ["/merchant/country", "/ip_country"]
    if "recipient" in txn:
        pointers.append("/recipient/country")
    pointers += [f"/recent/{i}/country" for i in range(len(txn["recent"]))]
    seen = {}
    for pointer in pointers:
        country = resolve(txn, pointer)
        if country is not None:
            seen.setdefault(country, pointer)
    return seen


def build(case):
    txn = case["txn"]
    note = case["note"]
    account = case.get("account")
    sources = {"txn": txn}
    if account is not None:
        sources["account"] = account
    assert 3 <= len(txn["recent"]) <= 8, case["id"]
    assert txn["recent"][0]["timestamp"] < txn["timestamp"], case["id"]
    words = len(note.split())
    assert 60 <= words <= 200, (case["id"], words)

    seen = seen_countries(txn)
    choices = set(seen)
    if account is not None:
        choices.update(account.get("usual_countries", []))
    choices = sorted(choices)
    countries = case.get("countries", list(seen))
    assert len(set(countries)) == len(countries) and set(countries) <= set(choices)

    label, label_conf, label_frags, label_ptrs = case["label"]
    reason, reason_conf, reason_frags, reason_ptrs = case["reason"]
    assert reason in REASONS
    contacted, contacted_conf, contacted_frags = case["contacted"]

    fields = [
        {
            "name": "label",
            "title": "Decision",
            "type": "choice",
            "choices": ["fraud", "legit"],
            "value": label,
            "confidence": label_conf,
            "evidence": anchors(sources, note, label_frags, label_ptrs),
        },
        {
            "name": "reason_code",
            "title": "Reason code",
            "type": "choice",
            "choices": REASONS,
            "value": reason,
            "confidence": reason_conf,
            "evidence": anchors(sources, note, reason_frags, reason_ptrs),
        },
        {
            "name": "amount",
            "title": f"Amount ({txn['currency']})",
            "type": "number",
            "value": txn["amount"],
            "confidence": case.get("amount_conf", 0.99),
            "evidence": anchors(sources, note, (), ["/amount"]),
        },
        {
            "name": "countries",
            "title": "Countries seen",
            "type": "multi_choice",
            "choices": choices,
            "value": countries,
            "confidence": case.get("countries_conf", 0.9),
            "evidence": anchors(sources, note, (), [seen[c] for c in countries if c in seen]),
        },
        {
            "name": "cardholder_contacted",
            "title": "Cardholder contacted",
            "type": "boolean",
            "value": contacted,
            "confidence": contacted_conf,
            "evidence": anchors(sources, note, contacted_frags),
        },
    ]

    evidence = [
        {"id": "txn", "kind": "record", "title": "Transaction", "record": txn},
    ]
    if account is not None:
        evidence.append(
            {"id": "account", "kind": "record", "title": "Cardholder profile", "record": account}
        )
    evidence.append({"id": "note", "kind": "text", "title": "Analyst note", "text": note})

    task = {
        "id": case["id"],
        "title": case["title"],
        "created_at": case["created_at"],
    }
    if "priority" in case:
        task["priority"] = case["priority"]
    if "due_at" in case:
        task["due_at"] = case["due_at"]
    task["instructions"] = case.get("instructions", CONFIRM)
    task["model"] = {"name": MODEL, "version": case.get("version", CURRENT)}
    task["output"] = {
        "summary": case["summary"],
        "confidence": case["confidence"],
        "fields": fields,
    }
    task["evidence"] = evidence
    return task


CURRENCY = {
    "AE": "AED", "AU": "AUD", "BE": "EUR", "CA": "CAD", "CN": "CNY", "DE": "EUR",
    "ES": "EUR", "GB": "GBP", "IE": "EUR", "LT": "EUR", "MT": "EUR", "MX": "MXN",
    "NL": "EUR", "PL": "PLN", "PT": "EUR", "SE": "SEK", "SG": "SGD", "TH": "THB",
    "US": "USD",
}


def recent(*rows):
    """Prior transactions, newest first, from (timestamp, merchant, mcc, amount, country, mode)."""
    stamps = [row[0] for row in rows]
    assert stamps == sorted(stamps, reverse=True), stamps
    return [
        {
            "timestamp": ts,
            "merchant": merchant,
            "mcc": mcc,
            "amount": amount,
            "currency": CURRENCY[country],
            "country": country,
            "entry_mode": mode,
        }
        for ts, merchant, mcc, amount, country, mode in rows
    ]


def txn(amount, currency, merchant, mcc, country, mode, device, new, ip, ts, prior):
    return {
        "amount": amount,
        "currency": currency,
        "merchant": {"name": merchant, "mcc": mcc, "country": country},
        "card_present": mode in ("chip", "contactless", "swipe"),
        "entry_mode": mode,
        "device": {"id": device, "new": new},
        "ip_country": ip,
        "timestamp": ts,
        "recent": prior,
    }


CASES = [
    {
        "id": "card-00412",
        "title": "CNP purchase, 3 countries in 2 h",
        "created_at": "2026-11-20T09:12:00Z",
        "priority": 4,
        "due_at": "2026-11-20T15:00:00Z",
        "summary": "Likely account takeover: new device, Brazilian IP, three countries",
        "confidence": 0.86,
        "txn": txn(
            812.00, "GBP", "Voltaro Marketplace", "5732", "NL", "ecom", "dv-7f3a91", True, "BR",
            "2026-11-20T08:41:17Z",
            recent(
                ("2026-11-20T07:55:02Z", "Lumen Gift Hub", "5947", 150.00, "SG", "ecom"),
                ("2026-11-20T07:02:44Z", "Padaria Nova Online", "5812", 34.90, "PT", "ecom"),
                ("2026-11-19T18:20:11Z", "Hartley's Grocers", "5411", 42.17, "GB", "contactless"),
                ("2026-11-18T08:05:39Z", "Northgate Fuel", "5541", 61.30, "GB", "chip"),
            ),
        ),
        "account": {
            "holder": "R. Pennick",
            "card_suffix": "4417",
            "tenure_months": 74,
            "home_country": "GB",
            "usual_countries": ["GB", "FR"],
            "devices_seen": ["dv-10be44", "dv-3391ac"],
            "travel_notice": None,
            "password_reset_at": "2026-11-20T06:58:40Z",
        },
        "note": (
            "Called cardholder (Ms R. Pennick, card ending 4417) at 10:42 on the number on file. "
            "She says she was at home in Leeds all morning and still has the card in her wallet. "
            "She does not recognise the Voltaro Marketplace order or the two earlier online "
            "purchases from Portugal and Singapore. Device dv-7f3a91 has never been seen on this "
            "account; the session came from a Brazilian IP a few minutes after a password reset "
            "she did not request. No travel notice is on file. Card blocked, reissue requested. "
            "Delivery address on the order is a parcel locker in Rotterdam."
        ),
        "label": (
            "fraud", 0.86,
            ["She does not recognise the Voltaro Marketplace order"],
            ["/device/new", "/ip_country"],
        ),
        "reason": (
            "account_takeover", 0.74,
            ["a few minutes after a password reset she did not request"],
            ["account:/password_reset_at"],
        ),
        "contacted": (True, 0.97, ["Called cardholder (Ms R. Pennick, card ending 4417) at 10:42"]),
        "countries_conf": 0.93,
    },
    {
        # Hard: the model ignored a travel notice that covers the purchase.
        "id": "card-00418",
        "title": "Chip & PIN abroad, Lisbon hotel",
        "created_at": "2026-11-18T12:05:00Z",
        "priority": 2,
        "summary": "Card-present spend far from home; possible stolen card",
        "confidence": 0.71,
        "txn": txn(
            1184.60, "EUR", "Hotel Miradouro Alfama", "7011", "PT", "chip", "dv-22c0e1", False,
            "PT", "2026-11-18T11:30:05Z",
            recent(
                ("2026-11-17T20:12:40Z", "Tasca do Largo", "5812", 48.50, "PT", "contactless"),
                ("2026-11-17T09:03:18Z", "Metro Lisboa", "4111", 12.00, "PT", "contactless"),
                ("2026-11-16T19:44:51Z", "Aerolínea Brisa", "4511", 212.40, "ES", "ecom"),
                ("2026-11-14T17:21:09Z", "Dunnes Corner Shop", "5411", 23.80, "IE", "contactless"),
                ("2026-11-13T08:15:00Z", "Liffey Fuel", "5541", 70.00, "IE", "chip"),
            ),
        ),
        "account": {
            "holder": "C. Ní Bhriain",
            "card_suffix": "0963",
            "tenure_months": 131,
            "home_country": "IE",
            "usual_countries": ["IE", "GB"],
            "devices_seen": ["dv-22c0e1"],
            "travel_notice": {"countries": ["PT", "ES"], "from": "2026-11-15", "to": "2026-11-29"},
        },
        "note": (
            "Travel notice on file since 12 Nov for Portugal and Spain, 15 to 29 Nov. "
            "The flagged charge is chip and PIN at Hotel Miradouro Alfama at checkout, which "
            "matches the two contactless taps in Lisbon earlier in the trip. The same phone "
            "(dv-22c0e1) that has been on the account since 2023 approved the 3DS prompt for "
            "the flight from Madrid last week. I did not call the cardholder: profile, device "
            "and travel notice are all consistent, so there is nothing to ask her. Recommend "
            "overturning the flag; no block."
        ),
        "label": (
            "fraud", 0.71,
            ["The flagged charge is chip and PIN at Hotel Miradouro Alfama"],
            ["/merchant/country", "/amount"],
        ),
        "reason": ("lost_stolen", 0.52, [], ["/card_present"]),
        "contacted": (False, 0.62, ["I did not call the cardholder"]),
        "countries_conf": 0.88,
    },
    {
        "id": "card-00427",
        "title": "E-gift cards, 4 × £250 in 20 min",
        "created_at": "2026-11-21T14:20:00Z",
        "priority": 5,
        "due_at": "2026-11-21T18:00:00Z",
        "summary": "Gift-card burst after a social-engineering call",
        "confidence": 0.93,
        "txn": txn(
            250.00, "GBP", "Bits & Bauble Gift Cards", "5947", "GB", "ecom", "dv-c81d07", True,
            "GB", "2026-11-21T13:41:56Z",
            recent(
                ("2026-11-21T13:35:10Z", "Bits & Bauble Gift Cards", "5947", 250.00, "GB", "ecom"),
                ("2026-11-21T13:28:33Z", "Bits & Bauble Gift Cards", "5947", 250.00, "GB", "ecom"),
                ("2026-11-21T13:22:02Z", "Bits & Bauble Gift Cards", "5947", 250.00, "GB", "ecom"),
                ("2026-11-20T12:10:45Z", "Greaves & Sons Pharmacy", "5912",
                 8.99, "GB", "contactless"),
            ),
        ),
        "note": (
            "Cardholder replied to our fraud SMS with: \"<b>urgent</b> please stop ALL charges "
            "& call me\" (pasted exactly as received, tags and all). Four e-gift cards at "
            "Bits & Bauble, each £250 & each delivered to an outlook.com address that isn't the "
            "one on file. Amount per order < £300, so every order stayed under the step-up rule "
            "(>= £300 triggers 3DS). Spoke to Mr D. Oyelaran at 14:05: earlier today a caller "
            "claiming to be from our bank asked him to read out a one-time code, and he did. "
            "Classic social-engineering takeover. Card ending 2280 blocked; merchant asked to "
            "void the codes if unredeemed."
        ),
        "label": (
            "fraud", 0.93,
            ["Four e-gift cards at Bits & Bauble, each £250"],
            ["/recent/0/merchant", "/recent/2/amount"],
        ),
        "reason": (
            "account_takeover", 0.81,
            ["asked him to read out a one-time code, and he did"],
            ["/device/new"],
        ),
        "contacted": (True, 0.95, ["Spoke to Mr D. Oyelaran at 14:05"]),
        "countries_conf": 0.98,
    },
    {
        # Hard: the new device is the cardholder's new phone, and she said so.
        "id": "card-00431",
        "title": "New device, laptop order held",
        "created_at": "2026-11-17T16:10:00Z",
        "priority": 3,
        "due_at": "2026-11-17T22:00:00Z",
        "summary": "Account takeover suspected: first purchase from an unseen device",
        "confidence": 0.77,
        "txn": txn(
            649.99, "USD", "Circuit Yard", "5732", "US", "ecom", "dv-e40b2d", True, "US",
            "2026-11-17T15:22:08Z",
            recent(
                ("2026-11-16T23:40:12Z", "Marlow's Market", "5411", 87.42, "US", "contactless"),
                ("2026-11-14T17:05:55Z", "Bellhop Mobile Store", "4812", 799.00, "US", "chip"),
                ("2026-11-13T12:30:00Z", "Gem City Coffee", "5814", 6.75, "US", "contactless"),
            ),
        ),
        "account": {
            "holder": "T. Alvarado",
            "card_suffix": "8852",
            "tenure_months": 88,
            "home_country": "US",
            "usual_countries": ["US"],
            "devices_seen": ["dv-5a07f3"],
            "travel_notice": None,
            "phone_on_file_since": "2020-03-02",
        },
        "note": (
            "Cardholder Ms T. Alvarado phoned in at 10:05 CT before we reached out, because the "
            "order was held. She bought a new phone at Bellhop Mobile Store on Saturday (the $799 "
            "chip purchase in recent activity) and moved her banking app over on Sunday; "
            "enrolment of dv-e40b2d was confirmed with an SMS code to the number on file, which "
            "has not changed since 2020. The Circuit Yard order is a laptop for her daughter and "
            "ships to the home address in Dayton. Same billing ZIP, same email. Nothing here looks "
            "like takeover: the only risk signal is the new device, and it is explained. "
            "Recommend overturning and releasing the order."
        ),
        "label": ("fraud", 0.77, [], ["/device/new", "/amount"]),
        "reason": ("account_takeover", 0.70, [], ["/device/id", "account:/devices_seen"]),
        "contacted": (True, 0.9, ["phoned in at 10:05 CT before we reached out"]),
        "countries_conf": 0.97,
    },
    {
        # Hard: card testing that the model scored as harmless small change.
        "id": "card-00433",
        "title": "Micro-donations, 7 in 9 min",
        "created_at": "2026-11-19T16:12:00Z",
        "priority": 5,
        "due_at": "2026-11-19T19:00:00Z",
        "summary": "Low-value charity donations; no fraud pattern",
        "confidence": 0.58,
        "txn": txn(
            1.00, "USD", "Helping Paws Rescue Fund", "8398", "US", "ecom", "dv-90ff1c", True, "VN",
            "2026-11-19T16:08:44Z",
            recent(
                ("2026-11-19T16:07:31Z", "Helping Paws Rescue Fund", "8398", 2.00, "US", "ecom"),
                ("2026-11-19T16:05:02Z", "Riverbend Food Pantry", "8398", 1.00, "US", "ecom"),
                ("2026-11-19T16:03:47Z", "Riverbend Food Pantry", "8398", 1.00, "US", "ecom"),
                ("2026-11-19T16:01:15Z", "Open Shelf Library Trust", "8398", 1.50, "US", "ecom"),
                ("2026-11-19T16:00:09Z", "Open Shelf Library Trust", "8398", 1.00, "US", "ecom"),
                ("2026-11-19T15:59:40Z", "Open Shelf Library Trust", "8398", 1.00, "US", "ecom"),
                ("2026-11-18T12:44:20Z", "Lakeshore Deli", "5812", 14.60, "US", "chip"),
            ),
        ),
        "account": {
            "holder": "J. Whitcombe",
            "card_suffix": "3071",
            "tenure_months": 27,
            "home_country": "US",
            "usual_countries": ["US", "CA"],
            "devices_seen": ["dv-41aa02"],
            "travel_notice": None,
        },
        "note": (
            "Seven charges of $1.00 to $2.00 to three small charities in nine minutes, all from "
            "device dv-90ff1c, which is new to the account, with the IP geolocating to Vietnam. "
            "None of these charities appear in the cardholder's history and he has never donated "
            "online with this card. The pattern is textbook card testing: tiny amounts at "
            "merchants with weak checks, to find out which stolen numbers are live before a larger "
            "cash-out. Each charge was scored on its own and let through as low value. Could not "
            "reach Mr J. Whitcombe; left a voicemail at 16:20 and sent a secure message. Recommend "
            "block and reissue now rather than waiting for the cash-out."
        ),
        "label": ("legit", 0.58, [], ["/amount", "/merchant/mcc"]),
        "reason": ("none", 0.55, [], ["/amount"]),
        "contacted": (False, 0.8, ["left a voicemail at 16:20"]),
        "countries_conf": 0.85,
    },
    {
        # Hard: a monthly savings plan at the same exchange, confirmed by phone.
        "id": "card-00436",
        "title": "Crypto exchange, €2,500",
        "created_at": "2026-11-16T08:05:00+01:00",
        "priority": 2,
        "version": PREVIOUS,
        "summary": "High-risk MCC, cross-border card-not-present purchase",
        "confidence": 0.68,
        "txn": txn(
            2500.00, "EUR", "Northwind Digital Exchange", "6051", "LT", "ecom", "dv-6b2e90", False,
            "DE", "2026-11-16T06:14:33Z",
            recent(
                ("2026-11-15T18:22:10Z", "Frischmarkt Lindenhof", "5411",
                 64.18, "DE", "contactless"),
                ("2026-10-16T07:02:51Z", "Northwind Digital Exchange", "6051",
                 2500.00, "LT", "ecom"),
                ("2026-09-16T06:58:19Z", "Northwind Digital Exchange", "6051",
                 2000.00, "LT", "ecom"),
                ("2026-08-15T07:10:44Z", "Northwind Digital Exchange", "6051",
                 2000.00, "LT", "ecom"),
            ),
        ),
        "account": {
            "holder": "K. Brandstätter",
            "card_suffix": "5519",
            "tenure_months": 59,
            "home_country": "DE",
            "usual_countries": ["DE", "AT"],
            "devices_seen": ["dv-6b2e90", "dv-0c7d13"],
            "travel_notice": None,
        },
        "note": (
            "Crypto exchange purchase of €2,500 from the cardholder's usual laptop (dv-6b2e90, on "
            "the account since 2024) and a German IP. Northwind Digital Exchange is registered in "
            "Lithuania, which is why the merchant country looks odd, but Herr K. Brandstätter has "
            "bought from it around the 15th of every month since August, €2,000 to €2,500 each "
            "time. Called him at 09:30; he confirmed the purchase and said it is his monthly "
            "savings plan. He passed security questions and completed the 3DS challenge in his "
            "banking app. The score seems to weight MCC 6051 heavily regardless of history. "
            "Recommend overturn."
        ),
        "label": ("fraud", 0.68, [], ["/merchant/mcc", "/merchant/country"]),
        "reason": ("card_not_present", 0.6, [], ["/card_present", "/entry_mode"]),
        "contacted": (True, 0.92, ["Called him at 09:30; he confirmed the purchase"]),
        "countries_conf": 0.91,
    },
    {
        # Hard: first-party (friendly) fraud filed as an unauthorised purchase.
        "id": "card-00440",
        "title": "Disputed shoe order, signed for",
        "created_at": "2026-11-22T10:40:00Z",
        "priority": 3,
        "due_at": "2026-11-22T17:00:00Z",
        "instructions": (
            "Dispute filed. Confirm or overturn the fraud flag before the representment cut-off."
        ),
        "summary": "Unauthorised card-not-present purchase reported by the cardholder",
        "confidence": 0.66,
        "txn": txn(
            214.90, "GBP", "Harbourline Outdoor", "5661", "GB", "ecom", "dv-3fa8d2", False, "GB",
            "2026-11-02T19:47:21Z",
            recent(
                ("2026-11-01T11:15:09Z", "Quayside Bakery", "5462", 7.40, "GB", "contactless"),
                ("2026-10-30T20:02:33Z", "Harbourline Outdoor", "5661", 64.00, "GB", "ecom"),
                ("2026-10-28T08:30:00Z", "Cobalt Rail", "4112", 38.20, "GB", "ecom"),
            ),
        ),
        "account": {
            "holder": "S. Marchetti",
            "card_suffix": "7740",
            "tenure_months": 46,
            "home_country": "GB",
            "usual_countries": ["GB", "IT"],
            "devices_seen": ["dv-3fa8d2"],
            "travel_notice": None,
            "disputes_last_12_months": 4,
        },
        "note": (
            "Mr S. Marchetti has disputed this order as 'not authorised'. But it was placed from "
            "his only known phone (dv-3fa8d2) on his home broadband, billing and delivery address "
            "match, and the courier's proof of delivery shows a signature at his door. He placed "
            "an earlier order with Harbourline from the same phone three days before and did not "
            "dispute that one. Spoke to him at 11:20: he now says a relative may have used his "
            "phone. This is his fourth dispute in twelve months, all four online retail. Looks "
            "like first-party (friendly) fraud rather than a third party using the card. Merchant "
            "has until 17:00 to represent."
        ),
        "label": (
            "fraud", 0.66,
            ["has disputed this order as 'not authorised'"],
            ["/amount"],
        ),
        "reason": ("card_not_present", 0.61, [], ["/entry_mode"]),
        "contacted": (True, 0.9, ["Spoke to him at 11:20"]),
        "countries_conf": 0.95,
    },
    {
        # Hard: third-party airline tickets scored as ordinary travel spend.
        "id": "card-00444",
        "title": "Airline tickets, 2 passengers, departs today",
        "created_at": "2026-11-23T15:30:00Z",
        "priority": 5,
        "due_at": "2026-11-23T22:00:00Z",
        "summary": "Airline purchase within the cardholder's usual range",
        "confidence": 0.61,
        "txn": txn(
            1342.00, "CAD", "Skyreach Airways", "4511", "CA", "ecom", "dv-a1f7e5", True, "CA",
            "2026-11-23T13:02:40Z",
            recent(
                ("2026-11-23T12:51:17Z", "Skyreach Airways", "4511", 1.00, "CA", "ecom"),
                ("2026-11-20T16:44:02Z", "Maple Leaf Gas Bar", "5541", 58.25, "CA", "swipe"),
                ("2026-11-19T12:05:38Z", "Ottawa Valley Grocers", "5411", 103.77, "CA", "chip"),
                ("2026-11-17T19:30:00Z", "Lantern Noodle House", "5812",
                 41.10, "CA", "contactless"),
            ),
        ),
        "account": {
            "holder": "M. Lefebvre",
            "card_suffix": "6604",
            "tenure_months": 112,
            "home_country": "CA",
            "usual_countries": ["CA", "US"],
            "devices_seen": ["dv-2e6c88"],
            "travel_notice": None,
        },
        "note": (
            "One-way booking, Toronto to Lagos via Frankfurt, departing tonight at 18:40, two "
            "adult passengers surnamed Vance and Ilić; neither matches the cardholder. Booked from "
            "a device never seen before, on an IP that belongs to a Canadian hosting provider, not "
            "a residential line. A $1.00 authorisation hit the card eleven minutes before the "
            "booking. Reached Mr M. Lefebvre at 11:10 ET: he has never heard of the passengers and "
            "has not booked any flights. On 20 Nov he used a gas bar pump that swiped rather than "
            "read the chip, so skimming is likely. Airline spend looks normal for him, which is "
            "probably why this scored low. Asked Skyreach to cancel the booking before departure."
        ),
        "label": ("legit", 0.61, [], ["/merchant/mcc", "/amount"]),
        "reason": ("none", 0.57, [], ["/amount"]),
        "contacted": (True, 0.88, ["Reached Mr M. Lefebvre at 11:10 ET"]),
        "countries_conf": 0.96,
    },
    {
        "id": "card-00447",
        "title": "Grocery spend 4× usual",
        "created_at": "2026-11-24T01:00:00Z",
        "priority": 0,
        "summary": "Large basket at the cardholder's regular supermarket",
        "confidence": 0.9,
        "txn": txn(
            412.35, "AUD", "Coastal Fresh Markets", "5411", "AU", "chip", "tm-cfm-0412", False,
            None, "2026-11-24T00:12:09Z",
            recent(
                ("2026-11-21T10:02:11Z", "Coastal Fresh Markets", "5411", 96.40, "AU", "chip"),
                ("2026-11-14T09:48:50Z", "Coastal Fresh Markets", "5411", 104.15, "AU", "chip"),
                ("2026-11-12T17:33:27Z", "Surfside Fuel", "5541", 72.00, "AU", "contactless"),
                ("2026-11-07T10:15:36Z", "Coastal Fresh Markets", "5411", 88.90, "AU", "chip"),
            ),
        ),
        "note": (
            "Flag is amount-driven: $412.35 at Coastal Fresh Markets against a usual weekly shop "
            "of about $95. It is the same store in Byron Bay the cardholder uses every week, chip "
            "and PIN on a terminal we have seen on this card eleven times. Basket data from the "
            "merchant shows catering packs and two cartons of soft drinks, consistent with the "
            "party the cardholder mentioned in a secure message last week (daughter's 18th). No "
            "other unusual activity, no new devices. Did not contact the cardholder; nothing needs "
            "confirming. Clear the flag."
        ),
        "label": (
            "legit", 0.9,
            ["the same store in Byron Bay the cardholder uses every week"],
            ["/recent/0/merchant", "/device/new"],
        ),
        "reason": ("none", 0.88, [], ["/card_present"]),
        "contacted": (False, 0.85, ["Did not contact the cardholder"]),
        "countries_conf": 0.99,
    },
    {
        "id": "card-00451",
        "title": "Contactless taps after lost-card call",
        "created_at": "2026-11-22T09:05:00Z",
        "priority": 4,
        "due_at": "2026-11-22T12:00:00Z",
        "summary": "Lost card used at fuel pumps and a vape shop before the block applied",
        "confidence": 0.95,
        "txn": txn(
            99.00, "GBP", "Ridgeway Fuel Kirkby", "5542", "GB", "contactless", "tm-rwf-kb-03", True,
            None, "2026-11-22T08:41:12Z",
            recent(
                ("2026-11-22T08:25:40Z", "Ridgeway Fuel Aintree", "5542",
                 99.00, "GB", "contactless"),
                ("2026-11-22T08:14:03Z", "Cloud Nine Vape", "5993", 64.50, "GB", "contactless"),
                ("2026-11-22T06:50:19Z", "Mersey Night Bus", "4131", 2.00, "GB", "contactless"),
                ("2026-11-21T22:47:55Z", "The Anchor & Crown", "5813", 27.60, "GB", "contactless"),
            ),
        ),
        "account": {
            "holder": "A. Hughes-Dlamini",
            "card_suffix": "1928",
            "tenure_months": 19,
            "home_country": "GB",
            "usual_countries": ["GB"],
            "devices_seen": ["dv-88c1e0"],
            "travel_notice": None,
            "lost_report_at": "2026-11-22T07:30:12Z",
            "block_applied_at": "2026-11-22T08:50:00Z",
        },
        "note": (
            "Ms A. Hughes-Dlamini rang the lost-card line at 07:30 saying her purse went missing "
            "at The Anchor & Crown last night; the report was logged but the block didn't apply "
            "until 08:50 because of the card-system batch. In the gap there were three contactless "
            "taps: a vape shop and two fuel pumps in Aintree and Kirkby, £99 each, right at the "
            "contactless ceiling. She doesn't drive and lives in Chester. The £2.00 night bus fare "
            "at 06:50 she says was hers. Card ending 1928 now blocked and a replacement sent; she "
            "will be refunded for the vape shop and both fuel charges."
        ),
        "label": (
            "fraud", 0.95,
            ["two fuel pumps in Aintree and Kirkby"],
            ["/recent/0/merchant", "/recent/1/mcc"],
        ),
        "reason": (
            "lost_stolen", 0.9,
            ["her purse went missing at The Anchor & Crown last night"],
            ["account:/lost_report_at"],
        ),
        "contacted": (True, 0.96, ["rang the lost-card line at 07:30"]),
        "countries_conf": 0.99,
    },
    {
        "id": "card-00455",
        "title": "Subscription renewal after free trial",
        "created_at": "2026-11-19T12:50:00Z",
        "priority": 1,
        "version": PREVIOUS,
        "summary": "Recurring subscription charge from a merchant the card has used before",
        "confidence": 0.74,
        "txn": txn(
            59.99, "EUR", "FitPulse+", "5968", "IE", "ecom", "dv-7c0d55", False, "NL",
            "2026-11-19T00:00:41Z",
            recent(
                ("2026-11-18T12:20:44Z", "Buurtsuper De Linde", "5411", 31.75, "NL", "contactless"),
                ("2026-11-17T08:02:16Z", "Spoorkaart", "4112", 4.60, "NL", "contactless"),
                ("2026-10-20T18:31:02Z", "FitPulse+", "5968", 0.00, "IE", "ecom"),
            ),
        ),
        "note": (
            "Mevr. L. de Groot disputed a €59.99 charge from FitPulse+ as fraud. Merchant records "
            "show she started a 30-day free trial on 20 Oct from her own phone (dv-7c0d55, on file "
            "since 2022) with a €0.00 verification charge, which is in her history. The trial "
            "terms say it converts to an annual plan unless cancelled. I called her at 13:15 and "
            "walked through it; she remembered signing up and had forgotten to cancel. She has "
            "withdrawn the fraud claim and will ask the merchant for a goodwill refund. The "
            "merchant is registered in Ireland, hence the second country."
        ),
        "label": (
            "legit", 0.74,
            ["started a 30-day free trial on 20 Oct"],
            ["/device/new", "/recent/2/amount"],
        ),
        "reason": ("none", 0.69, [], ["/recent/2/merchant"]),
        "contacted": (True, 0.93, ["I called her at 13:15"]),
        "countries_conf": 0.9,
    },
    {
        "id": "card-00458",
        "title": "Magstripe fallback in Bangkok, card in Kraków",
        "created_at": "2026-11-20T11:55:00Z",
        "priority": 5,
        "due_at": "2026-11-20T16:00:00Z",
        "summary": "Counterfeit card: magstripe swipes abroad hours after a domestic tap",
        "confidence": 0.97,
        "txn": txn(
            28400.00, "THB", "Siam Gadget Plaza", "5732", "TH", "swipe", "tm-sgp-0017", True, None,
            "2026-11-20T11:26:03Z",
            recent(
                ("2026-11-20T11:09:51Z", "Silom Gold & Gems", "5944", 41250.00, "TH", "swipe"),
                ("2026-11-20T07:15:22Z", "Pierogarnia Pod Wawelem", "5812",
                 46.00, "PL", "contactless"),
                ("2026-11-19T16:40:37Z", "Sklep Pod Kasztanem", "5411", 58.30, "PL", "chip"),
            ),
        ),
        "account": {
            "holder": "A. Wiśniewska",
            "card_suffix": "3390",
            "tenure_months": 64,
            "home_country": "PL",
            "usual_countries": ["PL", "DE", "CZ"],
            "devices_seen": ["dv-b3f120"],
            "travel_notice": None,
        },
        "note": (
            "Two magstripe swipes in Bangkok, jewellery then electronics, seventeen minutes apart, "
            "69,650 THB in total. The chip was not read on either; both terminals fell back to "
            "swipe. Four hours earlier the same card was tapped at a restaurant in Kraków. Called "
            "Pani A. Wiśniewska at 12:40 CET: she is at work in Kraków with the card in her hand "
            "and has never been to Thailand. On Sunday she used it at an unattended petrol pump "
            "in Katowice that we have linked to two other skimming cases this month. Counterfeit "
            "magstripe clone. Card ending 3390 blocked, reissue by courier."
        ),
        "label": (
            "fraud", 0.97,
            ["Two magstripe swipes in Bangkok"],
            ["/entry_mode", "/recent/1/country"],
        ),
        "reason": (
            "counterfeit", 0.88,
            ["both terminals fell back to swipe"],
            ["/entry_mode", "/recent/0/entry_mode"],
        ),
        "contacted": (True, 0.95, ["Called Pani A. Wiśniewska at 12:40 CET"]),
        "countries_conf": 0.97,
    },
    {
        "id": "card-00462",
        "title": "Ride-hail abroad, no travel notice",
        "created_at": "2026-11-18T09:20:00Z",
        "priority": 1,
        "summary": "Rides in a new country on the usual phone; probably a trip",
        "confidence": 0.41,
        "txn": txn(
            186.50, "MXN", "Vía Rápida Rides", "4121", "MX", "ecom", "dv-1d9e4b", False, "MX",
            "2026-11-18T08:14:55Z",
            recent(
                ("2026-11-18T05:40:10Z", "Vía Rápida Rides", "4121", 142.00, "MX", "ecom"),
                ("2026-11-18T02:05:33Z", "Hotel Roble Polanco", "7011", 3420.00, "MX", "chip"),
                ("2026-11-17T14:12:09Z", "Terminal 1 News & Books", "5994",
                 12.99, "US", "contactless"),
                ("2026-11-15T18:21:47Z", "Prairie Co-op Grocery", "5411", 76.18, "US", "chip"),
            ),
        ),
        "account": {
            "holder": "D. Osei",
            "card_suffix": "5021",
            "tenure_months": 33,
            "home_country": "US",
            "usual_countries": ["US"],
            "devices_seen": ["dv-1d9e4b"],
            "travel_notice": None,
        },
        "note": (
            "Two ride-hail trips in Mexico City overnight from the cardholder's usual phone, after "
            "a chip-and-PIN hotel check-in in Polanco. No travel notice on file, which is probably "
            "what pushed the score up. The airport newsagent tap on the 17th fits a trip starting "
            "that day. Did not phone Mr D. Osei (it is 3 a.m. local); sent an in-app message "
            "instead and he replied within ten minutes: \"yes, work trip, forgot to set the "
            "notice, sorry!\" Same device, same app session, hotel and rides consistent. Clear the "
            "flag and add a travel notice for MX until 24 Nov as he asked."
        ),
        "label": ("legit", 0.41, [], ["/device/new", "/recent/1/entry_mode"]),
        "reason": ("none", 0.45, [], ["account:/travel_notice"]),
        "contacted": (True, 0.7, ["he replied within ten minutes"]),
        "countries_conf": 0.9,
    },
    {
        "id": "card-00466",
        "title": "Casino deposits after SIM swap",
        "created_at": "2026-11-21T07:30:00+01:00",
        "priority": 5,
        "due_at": "2026-11-21T12:00:00+01:00",
        "summary": "Account takeover: contact details changed, then gambling deposits",
        "confidence": 0.91,
        "txn": txn(
            500.00, "EUR", "LuckyHarbor Casino", "7995", "MT", "ecom", "dv-f02c6a", True, "RO",
            "2026-11-21T01:33:20Z",
            recent(
                ("2026-11-21T01:29:02Z", "LuckyHarbor Casino", "7995", 500.00, "MT", "ecom"),
                ("2026-11-21T01:20:45Z", "LuckyHarbor Casino", "7995", 250.00, "MT", "ecom"),
                ("2026-11-20T19:02:38Z", "Marché Saint-Gilles", "5411", 44.10, "BE", "contactless"),
                ("2026-11-20T08:11:50Z", "Tram Bruxelles", "4111", 2.40, "BE", "contactless"),
            ),
        ),
        "account": {
            "holder": "É. Vandersmissen",
            "card_suffix": "8126",
            "tenure_months": 97,
            "home_country": "BE",
            "usual_countries": ["BE", "FR", "NL"],
            "devices_seen": ["dv-60a3de"],
            "travel_notice": None,
            "phone_changed_at": "2026-11-20T16:45:00+01:00",
            "email_changed_at": "2026-11-20T17:02:00+01:00",
        },
        "note": (
            "The mobile number on this account was changed through the call centre at 16:45 "
            "yesterday, and the email seventeen minutes later. Overnight, three deposits totalling "
            "€1,250 to LuckyHarbor Casino (Malta) from a new device on a Romanian IP; the 3DS "
            "codes went to the new number. The cardholder has no gambling history at all. Could "
            "not reach Mme É. Vandersmissen: the number on file now belongs to whoever changed it, "
            "and her old number rings out. Posted a letter and flagged the branch. The call-centre "
            "recording shows the caller failed one security question and passed on the second "
            "attempt. Looks like SIM-swap-assisted takeover. Card and online banking frozen; "
            "contact details reverted to the 2024 values."
        ),
        "label": (
            "fraud", 0.91,
            ["three deposits totalling €1,250 to LuckyHarbor Casino"],
            ["/merchant/mcc", "/ip_country"],
        ),
        "reason": (
            "account_takeover", 0.83,
            ["The mobile number on this account was changed through the call centre"],
            ["account:/phone_changed_at", "account:/email_changed_at"],
        ),
        "contacted": (False, 0.87, ["Could not reach Mme É. Vandersmissen"]),
        "countries_conf": 0.94,
    },
    {
        "id": "card-00470",
        "title": "Monthly transfer to Brazil, higher amount",
        "created_at": "2026-11-18T15:12:00-05:00",
        "priority": 2,
        "summary": "Repeat transfer to a known payee; probably legitimate",
        "confidence": 0.57,
        "txn": dict(
            txn(
                450.00, "USD", "SwiftPal Transfer", "4829", "US", "ecom", "dv-9a4410", False, "US",
                "2026-11-18T20:05:14Z",
                recent(
                    ("2026-11-17T18:10:26Z", "Mercado Boa Vista", "5411", 68.32, "US", "chip"),
                    ("2026-11-11T19:58:02Z", "SwiftPal Transfer", "4829", 300.00, "US", "ecom"),
                    ("2026-10-28T21:15:49Z", "SwiftPal Transfer", "4829", 300.00, "US", "ecom"),
                ),
            ),
            recipient={"name": "Rafael Carvalho", "country": "BR", "payee_since": "2025-06-02"},
        ),
        "account": {
            "holder": "F. Carvalho",
            "card_suffix": "2417",
            "tenure_months": 52,
            "home_country": "US",
            "usual_countries": ["US", "BR"],
            "devices_seen": ["dv-9a4410"],
            "travel_notice": None,
        },
        "note": (
            "Money-transfer MCC plus a Brazilian recipient pushed the score up. Sent a secure "
            "in-app message to Mr F. Carvalho at 15:20 asking him to confirm. His reply, verbatim: "
            "\"yes that was me 👍 sending money to my brother in São Paulo, same as every month. "
            "pls don't block 🙏\". The recipient is the same payee as the two earlier SwiftPal "
            "transfers, and the device is his usual phone. The amount is higher than before ($450 "
            "against $300), which he explained as help with a hospital bill. No sign of coercion "
            "in the chat. Leaving as legitimate."
        ),
        "label": (
            "legit", 0.57,
            ["the same payee as the two earlier SwiftPal transfers"],
            ["/recipient/payee_since", "/recent/1/merchant"],
        ),
        "reason": ("none", 0.6, ["sending money to my brother in São Paulo"], []),
        "contacted": (True, 0.84, ["His reply, verbatim"]),
        "countries_conf": 0.92,
    },
    {
        "id": "card-00473",
        "title": "Hotel booking in Dubai, third-party guest",
        "created_at": "2026-11-20T07:50:00Z",
        "priority": 3,
        "due_at": "2026-11-20T13:00:00Z",
        "version": PREVIOUS,
        "summary": "Card-not-present travel booking from a new device abroad",
        "confidence": 0.79,
        "txn": txn(
            2890.00, "AED", "StayNest Travel", "4722", "AE", "ecom", "dv-44e7b9", True, "AE",
            "2026-11-19T21:48:30Z",
            recent(
                ("2026-11-18T13:07:21Z", "Kungsholmen Livs", "5411", 412.50, "SE", "contactless"),
                ("2026-11-17T07:45:00Z", "Mälardalen Pendel", "4111", 42.00, "SE", "contactless"),
                ("2026-11-15T16:22:38Z", "Bokhandeln Söder", "5942", 289.00, "SE", "chip"),
            ),
        ),
        "account": {
            "holder": "H. Lindqvist",
            "card_suffix": "7305",
            "tenure_months": 40,
            "home_country": "SE",
            "usual_countries": ["SE", "NO", "ES"],
            "devices_seen": ["dv-0e5b72"],
            "travel_notice": None,
        },
        "note": (
            "Two-night booking at a Dubai Marina hotel for a guest named 'Omar K.', paid by card "
            "ending 7305 through StayNest, from a new device on a UAE IP. Spoke to Ms H. Lindqvist "
            "at 09:10 CET: she is in Stockholm, did not make the booking, and has never stayed in "
            "the UAE. She bought a concert ticket on a small resale site last week and thinks the "
            "card details may have been taken there. StayNest confirms the booking was a guest "
            "checkout with a free-mail address. Card blocked; asked StayNest to cancel the "
            "reservation before check-in."
        ),
        "label": (
            "fraud", 0.79,
            ["did not make the booking"],
            ["/device/new", "/ip_country"],
        ),
        "reason": ("card_not_present", 0.75, [], ["/entry_mode"]),
        "contacted": (True, 0.94, ["Spoke to Ms H. Lindqvist at 09:10 CET"]),
        "countries_conf": 0.9,
    },
    {
        "id": "card-00477",
        "title": "Contactless spree after gym theft",
        "created_at": "2026-11-23T18:40:00Z",
        "priority": 4,
        "summary": "Stolen card: four contactless taps under the limit in 35 minutes",
        "confidence": 0.88,
        "txn": txn(
            95.00, "GBP", "Brightwater Department Store", "5311", "GB", "contactless", "tm-bw-0221",
            True, None, "2026-11-23T18:12:44Z",
            recent(
                ("2026-11-23T18:01:30Z", "Brightwater Department Store", "5311",
                 89.50, "GB", "contactless"),
                ("2026-11-23T17:48:12Z", "Spindle & Sons Tobacco", "5993",
                 72.00, "GB", "contactless"),
                ("2026-11-23T17:40:05Z", "Corner Stop Off-Licence", "5921",
                 48.99, "GB", "contactless"),
                ("2026-11-23T16:05:00Z", "Forge Gym Café", "5814", 3.20, "GB", "contactless"),
                ("2026-11-22T12:30:19Z", "Hartley's Grocers", "5411", 55.60, "GB", "chip"),
            ),
        ),
        "note": (
            "Mr P. Achterberg called at 18:35 from the gym reception: his locker at Forge Gym "
            "Clapham was forced while he was in a class and his wallet taken. After his "
            "post-workout coffee at 16:05 there were four contactless taps within 35 minutes, at "
            "an off-licence, a tobacconist and twice at Brightwater, all under the £100 "
            "contactless limit. He made none of these; he was in a spin class until 18:15 and the "
            "gym can confirm. Card ending 6158 blocked at 18:37. Police reference recorded on the "
            "case. Refund all four taps; the coffee is his."
        ),
        "label": (
            "fraud", 0.88,
            ["four contactless taps within 35 minutes"],
            ["/entry_mode", "/recent/1/merchant"],
        ),
        "reason": ("lost_stolen", 0.8, ["his wallet taken"], ["/card_present"]),
        "contacted": (True, 0.95, ["Mr P. Achterberg called at 18:35"]),
        "countries_conf": 0.99,
    },
    {
        "id": "card-00481",
        "title": "In-game purchases, 6 in an hour",
        "created_at": "2026-11-22T14:30:00Z",
        "priority": 1,
        "version": PREVIOUS,
        "summary": "Burst of digital-goods purchases from a known family device",
        "confidence": 0.63,
        "txn": txn(
            49.99, "USD", "Pixelforge Games", "5816", "US", "ecom", "dv-7ab3c9", False, "US",
            "2026-11-22T02:41:18Z",
            recent(
                ("2026-11-22T02:30:07Z", "Pixelforge Games", "5816", 19.99, "US", "ecom"),
                ("2026-11-22T02:18:44Z", "Pixelforge Games", "5816", 49.99, "US", "ecom"),
                ("2026-11-22T02:02:30Z", "Pixelforge Games", "5816", 9.99, "US", "ecom"),
                ("2026-11-22T01:51:12Z", "Pixelforge Games", "5816", 49.99, "US", "ecom"),
                ("2026-11-22T01:40:59Z", "Pixelforge Games", "5816", 9.99, "US", "ecom"),
                ("2026-11-21T17:22:36Z", "Cedar Hollow Pizza", "5812", 32.40, "US", "ecom"),
            ),
        ),
        "account": {
            "holder": "G. Park",
            "card_suffix": "0335",
            "tenure_months": 150,
            "home_country": "US",
            "usual_countries": ["US", "KR"],
            "devices_seen": ["dv-7ab3c9", "dv-12fa60"],
            "travel_notice": None,
        },
        "note": (
            "Six in-game purchases at Pixelforge Games between 7:40 and 8:41 p.m. Central, $189.94 "
            "in total, all from the family tablet (dv-7ab3c9), which has been on the account for "
            "three years. Mrs G. Park called at 08:15 this morning when she saw the alerts; after "
            "talking to her household she confirmed her 11-year-old son made them on the saved "
            "card. She wants the money back and asked about filing a dispute. Explained this is "
            "not third-party fraud; we can help her ask Pixelforge for a refund of unintended "
            "in-app purchases, but a fraud chargeback would not be appropriate. Parental-controls "
            "advice sent."
        ),
        "label": (
            "legit", 0.63,
            ["all from the family tablet (dv-7ab3c9)"],
            ["/device/new"],
        ),
        "reason": (
            "friendly_fraud", 0.45,
            ["her 11-year-old son made them on the saved card"],
            [],
        ),
        "contacted": (True, 0.9, ["Mrs G. Park called at 08:15 this morning"]),
        "countries_conf": 0.98,
    },
    {
        "id": "card-00485",
        "title": "New delivery address, £1,275 homeware",
        "created_at": "2026-11-17T21:05:00Z",
        "priority": 0,
        "summary": "Large order to a recently added address; weak signals either way",
        "confidence": 0.3,
        "txn": dict(
            txn(
                1275.00, "GBP", "Kettle & Kiln Homeware", "5719", "GB", "ecom", "dv-5e21a8", False,
                "GB", "2026-11-17T20:33:41Z",
                recent(
                    ("2026-11-15T10:14:09Z", "Hillside Removals", "4214", 840.00, "GB", "ecom"),
                    ("2026-11-14T19:22:51Z", "Brackenfield Co-op", "5411",
                     38.75, "GB", "contactless"),
                    ("2026-11-12T08:47:16Z", "Northgate Fuel", "5541", 54.10, "GB", "chip"),
                ),
            ),
            ship_to_new_address=True,
        ),
        "account": {
            "holder": "N. Haldane",
            "card_suffix": "4082",
            "tenure_months": 203,
            "home_country": "GB",
            "usual_countries": ["GB", "ES"],
            "devices_seen": ["dv-5e21a8"],
            "travel_notice": None,
            "address_changed_at": "2026-11-14T09:05:00Z",
        },
        "note": (
            "Score is driven by delivery to an address first used three days ago and an order "
            "about six times her usual online spend. The profile shows Mrs N. Haldane changed her "
            "home address in the app on 14 Nov from her usual phone, and she paid a removals firm "
            "the next day, so the new address is simply where she now lives. The Kettle & Kiln "
            "order (sofa, rug and lamps) was placed from the same phone with the 3DS challenge "
            "approved in the banking app. Tenure is 16 years with no prior disputes. Did not "
            "contact the cardholder; nothing inconsistent to ask about. Legitimate."
        ),
        "label": ("legit", 0.3, [], ["/ship_to_new_address", "account:/address_changed_at"]),
        "reason": ("none", 0.35, [], []),
        "contacted": (False, 0.8, ["Did not contact the cardholder"]),
        "countries_conf": 0.97,
    },
    {
        "id": "card-00488",
        "title": "Resale tickets, new device, out of state",
        "created_at": "2026-11-16T13:30:00Z",
        "priority": 3,
        "due_at": "2026-11-17T13:30:00Z",
        "version": PREVIOUS,
        "summary": "Card-not-present ticket purchases from a new device",
        "confidence": 0.81,
        "txn": txn(
            780.00, "USD", "GigStack Resale", "7922", "US", "ecom", "dv-c3d9f4", True, "US",
            "2026-11-16T03:12:05Z",
            recent(
                ("2026-11-16T03:05:44Z", "GigStack Resale", "7922", 390.00, "US", "ecom"),
                ("2026-11-15T22:10:31Z", "Harbor Lights Cinema", "7832", 28.50, "US", "ecom"),
                ("2026-11-14T13:02:17Z", "Sunbelt Pharmacy", "5912", 17.35, "US", "chip"),
            ),
        ),
        "account": {
            "holder": "L. Brennan-Cole",
            "card_suffix": "9914",
            "tenure_months": 22,
            "home_country": "US",
            "usual_countries": ["US", "MX"],
            "devices_seen": ["dv-8e02b1"],
            "travel_notice": None,
        },
        "note": (
            "Two GigStack Resale orders ($390 and $780) for the same stadium show, placed at "
            "10 p.m. Eastern from a new device on an IP in Nevada; the cardholder lives in Tampa. "
            "Tickets were delivered electronically to an email address not on the account and "
            "transferred on within twenty minutes, which is how resale fraud is usually cashed "
            "out. Reached Ms L. Brennan-Cole at 09:05 ET: she did not buy any tickets. She did use "
            "the card on the Harbor Lights Cinema website on Sunday afternoon; worth checking that "
            "merchant for a compromise. Card blocked and both orders disputed as card-not-present "
            "fraud."
        ),
        "label": (
            "fraud", 0.81,
            ["delivered electronically to an email address not on the account"],
            ["/device/new"],
        ),
        "reason": (
            "card_not_present", 0.78,
            ["she did not buy any tickets"],
            ["/entry_mode"],
        ),
        "contacted": (True, 0.93, ["Reached Ms L. Brennan-Cole at 09:05 ET"]),
        "countries_conf": 0.95,
    },
    {
        "id": "card-00492",
        "title": "Impossible travel, Austin then Oklahoma City",
        "created_at": "2026-11-24T16:55:00Z",
        "priority": 4,
        "due_at": "2026-11-24T20:00:00Z",
        "summary": "Cloned magstripe used 580 km from a genuine chip read",
        "confidence": 0.9,
        "txn": txn(
            85.00, "USD", "Prairie Stop Fuel", "5541", "US", "swipe", "tm-pst-0088", True, None,
            "2026-11-24T16:42:10Z",
            recent(
                ("2026-11-24T16:28:47Z", "Red Dirt Electronics", "5732", 412.99, "US", "swipe"),
                ("2026-11-24T16:09:33Z", "Bluebonnet Grocery", "5411", 63.21, "US", "chip"),
                ("2026-11-23T21:14:00Z", "Tejano Taqueria", "5812", 24.80, "US", "contactless"),
                ("2026-11-21T17:36:22Z", "Lone Oak Fuel", "5541", 48.00, "US", "swipe"),
            ),
        ),
        "note": (
            "Chip transaction at Bluebonnet Grocery in Austin at 10:09 a.m. Central, then "
            "magstripe swipes in Oklahoma City at 10:28 (electronics) and 10:42 (fuel), roughly "
            "580 km away. Physically impossible, so one of the cards is a copy, and the genuine "
            "chip read was in Austin, where the cardholder lives. Her last swipe before today was "
            "at Lone Oak Fuel on 21 Nov; that pump's reader was reported tampered with yesterday "
            "by local police. Have not yet spoken to Ms R. Oyelowo: two calls unanswered, SMS "
            "sent. Blocking anyway given the impossible travel."
        ),
        "label": (
            "fraud", 0.9,
            ["Physically impossible"],
            ["/entry_mode", "/recent/1/entry_mode"],
        ),
        "reason": (
            "counterfeit", 0.72,
            ["that pump's reader was reported tampered with"],
            ["/recent/3/merchant"],
        ),
        "contacted": (False, 0.82, ["two calls unanswered"]),
        "countries_conf": 0.99,
    },
    {
        "id": "card-00495",
        "title": "First cross-border marketplace order",
        "created_at": "2026-11-21T16:40:00Z",
        "priority": 0,
        "summary": "Small first purchase abroad from the usual device; probably legitimate",
        "confidence": 0.52,
        "txn": txn(
            23.40, "USD", "Orchid Bazaar", "5999", "CN", "ecom", "dv-2b7f01", False, "US",
            "2026-11-21T15:27:50Z",
            recent(
                ("2026-11-20T23:05:12Z", "Riverside Thai Kitchen", "5812",
                 46.75, "US", "contactless"),
                ("2026-11-19T14:40:28Z", "Keystone Hardware", "5251", 19.99, "US", "chip"),
                ("2026-11-17T09:12:44Z", "Keystone Fuel & Go", "5541", 40.00, "US", "chip"),
            ),
        ),
        "note": (
            "First purchase from a cross-border marketplace, merchant based in China, small "
            "amount. Device and IP are the cardholder's usual ones. Routed for review because of "
            "the merchant country. Mr B. Nakashima confirmed by reply to our SMS at 11:02 that he "
            "ordered two phone cases and a charging cable; the order confirmation he forwarded "
            "matches the amount and time. No other foreign activity, no new devices or address "
            "changes. Clearing as legitimate; suggest adding the merchant to the low-risk list if "
            "more customers buy there."
        ),
        "label": (
            "legit", 0.52,
            ["Device and IP are the cardholder's usual ones"],
            ["/device/new", "/amount"],
        ),
        "reason": ("none", 0.5, [], ["/merchant/country"]),
        "contacted": (True, 0.88, ["confirmed by reply to our SMS at 11:02"]),
        "countries_conf": 0.86,
    },
]


def main():
    tasks = [build(case) for case in CASES]
    common.write_queue("fraud", tasks)


if __name__ == "__main__":
    main()
