"""Synthetic fingerprint images for the SBI simulator (SFinGe-style, no real person's data).

A finger is an orientation field built from core and delta points (the zero-pole model of
Sherlock and Monro) in which ridges are grown by repeatedly filtering noise with Gabor
filters tuned to the local orientation and to a ridge period of about 9 px, which is the
0.45 mm ridge spacing of adult fingers at 500 ppi. The pattern class (whorl, loops, arch),
singular points, ridge period and finger outline all depend on the person's seed and the
finger, so two fingers never look alike while the same finger of the same seed repeats.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass

import cv2
import numpy as np

PPI = 500
_BINS = 12
_ITERATIONS = 6


@dataclass(frozen=True)
class FingerPattern:
    """The ridge-free description of one finger: size, class, singular points, period."""

    width: int
    height: int
    kind: str
    cores: tuple[tuple[float, float], ...]
    deltas: tuple[tuple[float, float], ...]
    period: float
    rotation: float


def pattern_for(seed: int, finger: str) -> FingerPattern:
    """Derive the deterministic pattern of ``finger`` (SBI name) for person ``seed``."""
    rng = _rng(seed, finger, "pattern")
    thumb = "Thumb" in finger
    little = "Little" in finger
    width = 300 if thumb else 240 if little else 270
    height = 400 if thumb else 330 if little else 370
    kind = rng.choice(["whorl", "left_loop", "right_loop", "arch"], p=[0.3, 0.3, 0.3, 0.1])
    cx = width * rng.uniform(0.42, 0.58)
    cy = height * rng.uniform(0.36, 0.48)
    cores: list[tuple[float, float]] = []
    deltas: list[tuple[float, float]] = []
    if kind == "whorl":
        gap = rng.uniform(12, 30)
        cores = [(cx, cy - gap / 2), (cx + rng.uniform(-8, 8), cy + gap / 2)]
        dy = height * rng.uniform(0.25, 0.33)
        deltas = [(cx - width * 0.42, cy + dy), (cx + width * 0.42, cy + dy)]
    elif kind in ("left_loop", "right_loop"):
        side = -1.0 if kind == "left_loop" else 1.0
        cores = [(cx, cy)]
        deltas = [
            (cx + side * width * rng.uniform(0.3, 0.42), cy + height * rng.uniform(0.22, 0.3))
        ]
    return FingerPattern(
        width=width,
        height=height,
        kind=kind,
        cores=tuple(cores),
        deltas=tuple(deltas),
        period=float(rng.uniform(8.6, 10.2)),
        rotation=float(rng.uniform(-0.12, 0.12)),
    )


def orientation_field(pattern: FingerPattern) -> np.ndarray:
    """Ridge direction in radians (0..pi) at every pixel, image coordinates (y down)."""
    ys, xs = np.mgrid[0 : pattern.height, 0 : pattern.width].astype(np.float32)
    if pattern.kind == "arch":
        cx = pattern.width / 2
        bump = np.exp(-(((ys - pattern.height * 0.42) / (pattern.height * 0.35)) ** 2))
        theta = np.arctan(1.4 * (cx - xs) / pattern.width * bump)
    else:
        theta = np.zeros_like(xs)
        for x0, y0 in pattern.cores:
            theta += 0.5 * np.arctan2(ys - y0, xs - x0)
        for x0, y0 in pattern.deltas:
            theta -= 0.5 * np.arctan2(ys - y0, xs - x0)
    theta += pattern.rotation
    return np.mod(theta, math.pi).astype(np.float32)


def _gabor_bank(period: float) -> list[np.ndarray]:
    sigma = period * 0.48
    size = int(2 * round(2.6 * sigma) + 1)
    bank = []
    for b in range(_BINS):
        ridge_dir = b * math.pi / _BINS
        kernel: np.ndarray = cv2.getGaborKernel(
            (size, size), sigma, ridge_dir + math.pi / 2, period, 1.0, 0, ktype=cv2.CV_32F
        )
        kernel -= kernel.mean()
        kernel /= np.abs(kernel).sum()
        bank.append(kernel)
    return bank


def ridge_field(pattern: FingerPattern, seed: int, finger: str) -> np.ndarray:
    """Ridge signal in [-1, 1]: positive on ridges, negative in valleys."""
    rng = _rng(seed, finger, "ridges")
    theta = orientation_field(pattern)
    position = theta / (math.pi / _BINS)
    low = np.floor(position).astype(np.int64) % _BINS
    high = (low + 1) % _BINS
    weight = (position - np.floor(position)).astype(np.float32)
    bank = _gabor_bank(pattern.period)
    field = rng.standard_normal((pattern.height, pattern.width)).astype(np.float32)
    rows, cols = np.indices(field.shape)
    for _ in range(_ITERATIONS):
        filtered = np.stack(
            [cv2.filter2D(field, -1, k, borderType=cv2.BORDER_REFLECT) for k in bank]
        )
        field = (1 - weight) * filtered[low, rows, cols] + weight * filtered[high, rows, cols]
        field = np.clip(field / (np.std(field) + 1e-6) * 1.6, -1.0, 1.0)
    return field


def finger_mask(pattern: FingerPattern, seed: int, finger: str) -> np.ndarray:
    """Soft contact area of a flat fingertip (1 inside, 0 outside)."""
    rng = _rng(seed, finger, "mask")
    h, w = pattern.height, pattern.width
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx = w / 2 + rng.uniform(-8, 8)
    cy = h * 0.5 + rng.uniform(-6, 6)
    ax = w * rng.uniform(0.40, 0.46)
    ay = h * rng.uniform(0.44, 0.48)
    # A flatter base where the finger leaves the platen at the first joint.
    r = ((xs - cx) / ax) ** 2 + ((ys - cy) / ay) ** 2
    flat = np.where(ys > cy, ((xs - cx) / ax) ** 4 + ((ys - cy) / ay) ** 4, r)
    mask = np.clip((1.0 - flat) * 6.0, 0.0, 1.0)
    return cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 3)


def render_finger(
    seed: int, finger: str, attempt: int = 0, low_quality: bool = False
) -> np.ndarray:
    """Greyscale 500 ppi image of one flat finger: dark ridges on a light platen."""
    pattern = pattern_for(seed, finger)
    ridges = _cached_ridges(seed, finger)
    mask = _cached_mask(seed, finger)
    rng = _rng(seed, finger, f"capture-{attempt}-{int(low_quality)}")
    # Each placement is a little different: shift and pressure.
    shift = rng.uniform(-6, 6, size=2).astype(np.float32)
    move = np.array([[1, 0, shift[0]], [0, 1, shift[1]]], dtype=np.float32)
    size = (pattern.width, pattern.height)
    ridges = cv2.warpAffine(ridges, move, size, borderMode=cv2.BORDER_REFLECT)
    mask = cv2.warpAffine(mask, move, size, borderMode=cv2.BORDER_CONSTANT)
    pressure = float(rng.uniform(0.8, 1.0))
    ink = np.clip(ridges * 0.5 + 0.5, 0, 1) * mask * pressure
    if low_quality:
        ink = _smudge(ink, mask, rng)
    pores = rng.standard_normal(ink.shape).astype(np.float32) * 0.04
    image = 245.0 - 200.0 * ink + pores * 255.0 * mask
    image = cv2.GaussianBlur(image, (0, 0), 0.6)
    return np.clip(image, 0, 255).astype(np.uint8)


def estimate_quality(image: np.ndarray) -> float:
    """Quality 0-100 from ridge clarity: orientation coherence times local contrast.

    This is the simulator's own score, not NFIQ 2 and not calibrated against it: it stands
    where a certified device puts its vendor's score (``qualityScore``), and falls when
    ridges are blurred, smudged, faint or missing, which is what the simulator needs to show.
    """
    img = image.astype(np.float32)
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3)
    block = 16
    jxx = cv2.boxFilter(gx * gx, -1, (block, block))
    jyy = cv2.boxFilter(gy * gy, -1, (block, block))
    jxy = cv2.boxFilter(gx * gy, -1, (block, block))
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / (jxx + jyy + 1e-6)
    mean = cv2.boxFilter(img, -1, (block, block))
    std = np.sqrt(np.maximum(cv2.boxFilter(img * img, -1, (block, block)) - mean**2, 0))
    foreground = mean < 215
    if foreground.mean() < 0.15:
        return 0.0
    contrast = np.clip(std / 85.0, 0, 1)
    clarity = float(np.mean((coherence * contrast)[foreground]))
    area = float(np.clip(foreground.mean() / 0.45, 0, 1))
    return round(float(np.clip(clarity * 100.0 * area, 0, 100)), 1)


def _smudge(ink: np.ndarray, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A wet, moving finger: ridges blur into each other and blotches cover the pattern."""
    blurred = cv2.GaussianBlur(ink, (0, 0), 3.2)
    blotches = cv2.GaussianBlur(rng.uniform(0, 1, ink.shape).astype(np.float32), (0, 0), 14)
    blotches = (blotches - blotches.min()) / (np.ptp(blotches) + 1e-6)
    wet = np.where(blotches > 0.62, 0.55 * mask + 0.3 * blurred, blurred)
    return np.clip(wet * 0.75, 0, 1).astype(np.float32)


@functools.lru_cache(maxsize=64)
def _cached_ridges(seed: int, finger: str) -> np.ndarray:
    # Growing ridges is the slow part (~0.3 s); a person's finger never changes, so keep it.
    ridges = ridge_field(pattern_for(seed, finger), seed, finger)
    ridges.setflags(write=False)
    return ridges


@functools.lru_cache(maxsize=64)
def _cached_mask(seed: int, finger: str) -> np.ndarray:
    mask = finger_mask(pattern_for(seed, finger), seed, finger)
    mask.setflags(write=False)
    return mask


def _rng(seed: int, finger: str, purpose: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}|{finger}|{purpose}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))
