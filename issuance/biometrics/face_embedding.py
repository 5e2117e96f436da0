"""Face embeddings for 1:N de-duplication: dlib's ResNet model (128 numbers per face).

The models ship inside the ``face-recognition-models`` package (dlib's 5-point shape predictor
and ``dlib_face_recognition_resnet_model_v1``); nothing is downloaded. Two portraits of one
person lie closer than 0.6 (Euclidean distance), the threshold dlib's authors give for this
model (99.38 % on LFW). Loading takes about a second: one embedder per process.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and OpenCV load when a face is first compared, not on import
    import numpy as np

DIMENSIONS = 128
MODEL = "dlib_resnet_v1"
# dlib's threshold for "same person" with this model (Euclidean distance of the vectors).
SAME_PERSON_DISTANCE = 0.6
# Faces are searched on the image scaled to at most this many pixels on its longer side.
_DETECT_SIDE = 640


class FaceEmbedder:
    """Turns a portrait into a 128-float vector; thread-safe (dlib's models are not)."""

    def __init__(self) -> None:
        import dlib  # loaded here: importing this module must stay cheap
        import face_recognition_models as models

        self._detector = dlib.get_frontal_face_detector()
        self._shape = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        self._model = dlib.face_recognition_model_v1(models.face_recognition_model_location())
        self._lock = threading.Lock()

    def embed(self, image_bgr: np.ndarray) -> np.ndarray | None:
        """The vector of the largest face in the image, or None when no face is found."""
        import cv2
        import dlib
        import numpy as np

        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        k = min(1.0, _DETECT_SIDE / max(rgb.shape[:2]))
        small = rgb if k == 1.0 else cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
        with self._lock:
            faces = self._detector(small, 1)
            if len(faces) == 0:
                return None
            face = max(faces, key=lambda r: r.area())
            box = dlib.rectangle(
                round(face.left() / k), round(face.top() / k),
                round(face.right() / k), round(face.bottom() / k),
            )  # fmt: skip
            shape = self._shape(rgb, box)
            vector = self._model.compute_face_descriptor(rgb, shape)
        return np.asarray(vector, dtype=np.float32)


@lru_cache(maxsize=1)
def embedder() -> FaceEmbedder:
    """The process's embedder (the models are loaded on first use)."""
    return FaceEmbedder()


def embed_jpeg(data: bytes) -> np.ndarray | None:
    """The face vector of an encoded image (JPEG, PNG), or None without a face or image."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return None
    return embedder().embed(image)


def to_bytes(vector: np.ndarray) -> bytes:
    """The vector as stored (before sealing): 128 little-endian float32."""
    import numpy as np

    return np.asarray(vector, dtype="<f4").reshape(DIMENSIONS).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    import numpy as np

    if len(data) != DIMENSIONS * 4:
        raise ValueError("a face vector has 128 float32 values")
    return np.frombuffer(data, dtype="<f4").astype(np.float32)
