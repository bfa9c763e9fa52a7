"""Deduplication: exact and near-duplicate articles, and the key that merges reports of one event.

Articles
    *Exact* duplicates have the same text once runs of whitespace are collapsed
    (:func:`dyad.store.text_hash`). *Near* duplicates, wire copies re-published with small edits,
    are found with MinHash over word 5-gram shingles and locality-sensitive hashing (LSH):
    a signature of ``NUM_PERM`` minimum hash values estimates the Jaccard similarity of two
    articles' shingle sets; cut into ``BANDS`` bands of ``ROWS`` values, two articles whose
    signatures agree on a whole band become candidates, and a candidate is a near duplicate when
    the estimated similarity reaches the threshold (``NEAR_THRESHOLD`` by default). With 20 bands
    of 6 rows a pair at similarity 0.8 becomes a candidate with probability 0.998, one at 0.5
    with probability 0.27 (then rejected on its estimate).

    Every hash here is derived from ``hashlib`` with fixed seeds, never from Python's salted
    ``hash()`` or a random generator, so a signature is the same in every process, run and
    version: that is what lets a killed ingest resume with the very same decisions.

Events
    :func:`merge_key` names the fact an event reports: source, target, CAMEO code, date at its
    own precision (a day matches the same day, a month the same month), and negation. Reports of
    the same fact in different articles share a :func:`merged_id`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

NUM_PERM = 120
BANDS = 20
ROWS = 6
SHINGLE = 5  # words per shingle
NEAR_THRESHOLD = 0.8

assert BANDS * ROWS == NUM_PERM

_WORD = re.compile(r"\w+")
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _seeds(n: int) -> np.ndarray:
    out = [int.from_bytes(hashlib.blake2b(f"dyad-minhash-{i}".encode(), digest_size=8).digest(), "little")
           for i in range(n)]
    return np.array(out, dtype=np.uint64)


_SEEDS = _seeds(NUM_PERM)


def _mix(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijective, well-mixing 64-bit hash (uint64 arithmetic wraps)."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Word n-grams of the lower-cased text (the whole text when it is shorter than n words)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text: ``NUM_PERM`` uint32 values.

    Each permutation is the 64-bit shingle hash xor-ed with its own seed and mixed; the minimum
    over the shingles is kept (its upper 32 bits).
    """
    grams = shingles(text)
    x = np.fromiter((int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
                     for g in grams), dtype=np.uint64, count=len(grams))
    with np.errstate(over="ignore"):
        hv = _mix(x[:, None] ^ _SEEDS[None, :])
    return (hv.min(axis=0) >> np.uint64(32)).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 63-bit key per LSH band (the band number is part of the key)."""
    keys = []
    for b in range(BANDS):
        chunk = sig[b * ROWS:(b + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(bytes([b]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") & ((1 << 63) - 1))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def best_match(sig: np.ndarray, candidates: dict[str, np.ndarray], threshold: float) -> tuple[str, float] | None:
    """The most similar candidate at or above the threshold; ties go to the smallest id."""
    best: tuple[str, float] | None = None
    for cid in sorted(candidates):
        s = similarity(sig, candidates[cid])
        if s >= threshold and (best is None or s > best[1]):
            best = (cid, s)
    return best


@dataclass
class PendingIndex:
    """Fingerprints of articles on their way through the parser, not yet in the database.

    Lets a copy of an article that is still being parsed be recognised before the original is
    stored; entries leave the index once their article is stored or has failed.
    """

    by_hash: dict[str, str] = field(default_factory=dict)
    by_band: dict[int, set[str]] = field(default_factory=dict)
    signatures: dict[str, np.ndarray] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)

    def add(self, article_id: str, content_hash: str, sig: np.ndarray | None) -> None:
        self.by_hash.setdefault(content_hash, article_id)
        self.hashes[article_id] = content_hash
        if sig is not None:
            self.signatures[article_id] = sig
            for k in band_keys(sig):
                self.by_band.setdefault(k, set()).add(article_id)

    def remove(self, article_id: str) -> None:
        h = self.hashes.pop(article_id, None)
        if h is not None and self.by_hash.get(h) == article_id:
            del self.by_hash[h]
        sig = self.signatures.pop(article_id, None)
        if sig is not None:
            for k in band_keys(sig):
                ids = self.by_band.get(k)
                if ids is not None:
                    ids.discard(article_id)
                    if not ids:
                        del self.by_band[k]

    def candidates(self, keys: list[int]) -> dict[str, np.ndarray]:
        ids: set[str] = set()
        for k in keys:
            ids |= self.by_band.get(k, set())
        return {i: self.signatures[i] for i in ids}

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)


def merge_key(source_code: str | None, source_name: str | None, target_code: str | None,
              target_name: str | None, cameo: str, date: str | None, date_precision: str | None,
              negated: bool, symmetric: bool = False) -> tuple[str, ...]:
    """What makes two reports the same event. An actor without a code is keyed by its name."""
    s = source_code or (f"?{source_name.lower()}" if source_name else "")
    t = target_code or (f"?{target_name.lower()}" if target_name else "")
    if symmetric and t < s:
        s, t = t, s
    return (s, t, cameo or "", date or "", date_precision or "", "neg" if negated else "")


def merged_id(key: tuple[str, ...]) -> str:
    return hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:20]
