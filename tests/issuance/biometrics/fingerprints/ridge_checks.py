"""Independent checks that an image holds fingerprint ridges, not noise or a flat blob.

Deliberately not the simulator's own quality code: an FFT of the centre of the finger must
peak at the ridge frequency of a 500 ppi print, and ridge orientation must be coherent.
"""

from __future__ import annotations

import cv2
import numpy as np


def centre_block(image: np.ndarray, size: int = 128) -> np.ndarray:
    h, w = image.shape
    top, left = (h - size) // 2, (w - size) // 2
    return image[top : top + size, left : left + size].astype(np.float32)


def ridge_spectrum(image: np.ndarray) -> tuple[float, float]:
    """(period in px of the strongest spatial frequency, share of energy near that ring)."""
    block = centre_block(image)
    n = block.shape[0]
    block = (block - block.mean()) * np.outer(np.hanning(n), np.hanning(n))
    power = np.abs(np.fft.fftshift(np.fft.fft2(block))) ** 2
    ys, xs = np.indices(power.shape)
    radius = np.hypot(ys - n // 2, xs - n // 2)
    power[radius < 3] = 0  # drop the mean and the finger's outline
    peak = radius[np.unravel_index(np.argmax(power), power.shape)]
    ring = (radius > peak - 3) & (radius < peak + 3)
    return float(n / peak), float(power[ring].sum() / power.sum())


def orientation_coherence(image: np.ndarray) -> float:
    """Mean coherence of the gradient structure tensor over 16 px blocks of the centre."""
    block = centre_block(image)
    gx = cv2.Sobel(block, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(block, cv2.CV_32F, 0, 1)
    values = []
    for y in range(0, block.shape[0], 16):
        for x in range(0, block.shape[1], 16):
            sx, sy = gx[y : y + 16, x : x + 16], gy[y : y + 16, x : x + 16]
            jxx, jyy, jxy = (sx * sx).sum(), (sy * sy).sum(), (sx * sy).sum()
            values.append(np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / (jxx + jyy + 1e-6))
    return float(np.mean(values))


def assert_ridge_image(image: np.ndarray) -> None:
    assert image.ndim == 2 and image.dtype == np.uint8
    period, share = ridge_spectrum(image)
    # Adult ridge spacing 0.4-0.55 mm is 8-11 px at 500 ppi.
    assert 7.0 <= period <= 12.5, f"ridge period {period:.1f} px is not a fingerprint's"
    assert share > 0.35, f"only {share:.0%} of the energy at the ridge frequency"
    assert orientation_coherence(image) > 0.55
