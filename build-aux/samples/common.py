# SPDX-License-Identifier: GPL-3.0-or-later
"""What the sample generators share: where files go and how evidence is named."""

import hashlib
import json
import os

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(ROOT, "data", "samples")
BLOBS = os.path.join(SAMPLES, "blobs")


def write_blob(data, extension):
    """Stores evidence bytes under their SHA-256; returns (blob, size) for a task."""
    os.makedirs(BLOBS, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(BLOBS, f"{digest}.{extension}"), "wb") as out:
        out.write(data)
    return f"sha256:{digest}", len(data)


def span(text, fragment, source):
    """A text anchor on the first occurrence of fragment, in code points."""
    start = text.index(fragment)
    return {"source": source, "start": start, "end": start + len(fragment)}


def write_queue(queue, tasks):
    """Writes one queue's tasks as JSON Lines; ids must be unique."""
    os.makedirs(SAMPLES, exist_ok=True)
    ids = [task["id"] for task in tasks]
    assert len(ids) == len(set(ids)), "duplicate task ids"
    with open(os.path.join(SAMPLES, f"{queue}.jsonl"), "w", encoding="utf-8") as out:
        for task in tasks:
            task["queue"] = queue
            out.write(json.dumps(task, ensure_ascii=False) + "\n")
    print(f"{queue}: {len(tasks)} tasks")
