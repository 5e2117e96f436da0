"""What the 1:N search compares, kept sealed at rest and held in memory per database.

A submitted application's portrait becomes a face vector (``face_embedding``) and its
thumbs' and index fingers' images become minutiae (``minutiae``: NIST's MINDTCT); both are
sealed like the other biometrics, bound to the application (and finger). Each process keeps
one in-memory index per database and kind (``FaceIndex``, ``FingerIndex``): unsealed once,
then only the rows added since are read, so a search costs a matrix product, not a database
scan.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from issuance.biometrics import face_embedding, minutiae
from issuance.db.models import Application, BiometricCapture, FaceTemplate, FingerTemplate
from issuance.security.sealing import Sealer

if TYPE_CHECKING:
    import numpy as np

    from issuance.biometrics.face_index import FaceIndex
    from issuance.biometrics.finger_index import FingerIndex

log = logging.getLogger(__name__)

_PORTRAIT = ("face", "face")  # kind, position of the archived portrait
# The fingers compared 1:N: those every scanner captures best and most AFIS search on.
COMPARED_FINGERS = ("right_thumb", "right_index", "left_thumb", "left_index")


def template_context(application_id: int) -> str:
    return f"face_template:{application_id}"


def finger_context(application_id: int, position: str) -> str:
    return f"finger_template:{application_id}:{position}"


def _capture(session: Session, application_id: int, kind: str, position: str) -> Any:
    return session.execute(
        select(BiometricCapture).where(
            BiometricCapture.application_id == application_id,
            BiometricCapture.kind == kind,
            BiometricCapture.position == position,
        )
    ).scalar_one_or_none()


# -- faces --------------------------------------------------------------------------------------


def portrait_vector(
    session: Session, sealer: Sealer, application: Application
) -> np.ndarray | None:
    """The face vector of the application's portrait, or None when it has no face the model
    finds (or no portrait)."""
    from issuance.services.enrolment import capture_context

    kind, position = _PORTRAIT
    capture = _capture(session, application.id, kind, position)
    if capture is None or capture.data_sealed is None:
        return None
    image = sealer.open(capture.data_sealed, capture_context(application.id, kind, position))
    return face_embedding.embed_jpeg(image)


def save_face(
    session: Session, sealer: Sealer, application: Application, vector: np.ndarray
) -> None:
    """Stores the vector sealed (bound to the application), replacing an earlier one."""
    sealed = sealer.seal(face_embedding.to_bytes(vector), template_context(application.id))
    existing = session.execute(
        select(FaceTemplate).where(FaceTemplate.application_id == application.id)
    ).scalar_one_or_none()
    if existing is None:
        session.add(
            FaceTemplate(
                application_id=application.id, model=face_embedding.MODEL, vector_sealed=sealed
            )
        )
    else:
        existing.model, existing.vector_sealed = face_embedding.MODEL, sealed
    session.flush()


def stored_face(session: Session, sealer: Sealer, application_id: int) -> np.ndarray | None:
    template = session.execute(
        select(FaceTemplate).where(FaceTemplate.application_id == application_id)
    ).scalar_one_or_none()
    if template is None:
        return None
    return face_embedding.from_bytes(
        sealer.open(template.vector_sealed, template_context(application_id))
    )


# -- fingers ------------------------------------------------------------------------------------


def finger_minutiae(
    session: Session, sealer: Sealer, application: Application
) -> dict[str, minutiae.Minutiae]:
    """The minutiae of the compared fingers the application has as ISO/IEC 19794-4 records;
    a finger without a record (an exception), whose record does not decode or that shows too
    few minutiae is left out. Empty when the NBIS library is missing (logged)."""
    from issuance.ports.fingerprint_images import record_pixels
    from issuance.ports.iso19794_4 import STORED_FORMAT, parse
    from issuance.services.enrolment import capture_context

    if not minutiae.available():
        log.error("fingerprints not compared: the NBIS library is not built (run make)")
        return {}
    found: dict[str, minutiae.Minutiae] = {}
    for position in COMPARED_FINGERS:
        capture = _capture(session, application.id, "finger", position)
        if capture is None or capture.data_sealed is None or capture.image_format != STORED_FORMAT:
            continue
        context = capture_context(application.id, "finger", position)
        record = sealer.open(capture.data_sealed, context)
        try:
            [representation] = parse(record).representations
            pixels = record_pixels(representation)
            finger = minutiae.extract(pixels, round(representation.resolution_ppi[0]))
        except ValueError:
            continue  # stored before records were checked, or not decodable: not compared
        if len(finger) >= minutiae.MIN_MINUTIAE:
            found[position] = finger
    return found


def save_fingers(
    session: Session, sealer: Sealer, application: Application, fingers: dict[str, Any]
) -> None:
    """Stores each finger's minutiae sealed (bound to the application and finger)."""
    existing = {
        t.position: t
        for t in session.execute(
            select(FingerTemplate).where(FingerTemplate.application_id == application.id)
        ).scalars()
    }
    for position, finger in fingers.items():
        sealed = sealer.seal(finger.to_bytes(), finger_context(application.id, position))
        template = existing.get(position)
        if template is None:
            session.add(
                FingerTemplate(
                    application_id=application.id, position=position, model=minutiae.MODEL,
                    minutiae_sealed=sealed,
                )
            )  # fmt: skip
        else:
            template.model, template.minutiae_sealed = minutiae.MODEL, sealed
    session.flush()


def stored_fingers(
    session: Session, sealer: Sealer, application_id: int
) -> dict[str, minutiae.Minutiae]:
    return {
        position: minutiae.Minutiae.from_bytes(
            sealer.open(sealed, finger_context(application_id, position))
        )
        for position, sealed in session.execute(
            select(FingerTemplate.position, FingerTemplate.minutiae_sealed).where(
                FingerTemplate.application_id == application_id
            )
        )
    }


# -- the in-memory indexes ----------------------------------------------------------------------

IndexT = TypeVar("IndexT")


class _Loaded(Generic[IndexT]):
    """One kind of template of one database in memory, kept in step with its table."""

    def __init__(
        self,
        table: Any,
        new_index: Callable[[], IndexT],
        load: Callable[[IndexT, Session, Sealer, list[int]], None],
    ) -> None:
        self.table, self.new_index, self.load = table, new_index, load
        self.index = new_index()
        self.template_ids: set[int] = set()
        self.signature: tuple[object, ...] = (0, None, None)
        self.lock = threading.Lock()

    def refresh(self, session: Session, sealer: Sealer) -> IndexT:
        table = self.table
        with self.lock:
            # A row added or purged changes the number of rows, the highest id or the sum of
            # the applications (an id SQLite gives again after a purge then names another).
            signature = session.execute(
                select(func.count(table.id), func.max(table.id), func.sum(table.application_id))
            ).one()
            if tuple(signature) == self.signature:
                return self.index
            ids = set(session.execute(select(table.id)).scalars())
            if not self.template_ids <= ids:  # some were purged or replaced: start again
                self.index, self.template_ids = self.new_index(), set()
            missing = sorted(ids - self.template_ids)
            for start in range(0, len(missing), 1000):
                chunk = missing[start : start + 1000]
                self.load(self.index, session, sealer, chunk)
                self.template_ids.update(chunk)
            self.signature = tuple(signature)
            return self.index


def _load_faces(index: FaceIndex, session: Session, sealer: Sealer, ids: list[int]) -> None:
    rows = session.execute(
        select(FaceTemplate.application_id, FaceTemplate.vector_sealed)
        .where(FaceTemplate.id.in_(ids))
    ).all()  # fmt: skip
    for application_id, sealed in rows:
        plain = sealer.open(sealed, template_context(application_id))
        index.add(application_id, face_embedding.from_bytes(plain))


def _load_fingers(index: FingerIndex, session: Session, sealer: Sealer, ids: list[int]) -> None:
    rows = session.execute(
        select(FingerTemplate.application_id, FingerTemplate.position,
               FingerTemplate.minutiae_sealed)
        .where(FingerTemplate.id.in_(ids))
    ).all()  # fmt: skip
    index.add_many([
        (application_id, position, minutiae.Minutiae.from_bytes(
            sealer.open(sealed, finger_context(application_id, position))
        ))
        for application_id, position, sealed in rows
    ])  # fmt: skip


def _new_face_index() -> FaceIndex:
    from issuance.biometrics.face_index import FaceIndex  # numpy: on first search only

    return FaceIndex()


def _new_finger_index() -> FingerIndex:
    from issuance.biometrics.finger_index import FingerIndex

    return FingerIndex()


_FACES: weakref.WeakKeyDictionary[Engine, _Loaded[FaceIndex]] = weakref.WeakKeyDictionary()
_FINGERS: weakref.WeakKeyDictionary[Engine, _Loaded[FingerIndex]] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def face_index(engine: Engine, session: Session, sealer: Sealer) -> FaceIndex:
    """The process's in-memory index of ``engine``'s face vectors, brought up to date."""
    with _INDEXES_LOCK:
        loaded = _FACES.get(engine)
        if loaded is None:
            loaded = _FACES[engine] = _Loaded(FaceTemplate, _new_face_index, _load_faces)
    return loaded.refresh(session, sealer)


def finger_index(engine: Engine, session: Session, sealer: Sealer) -> FingerIndex:
    """The process's in-memory index of ``engine``'s finger minutiae, brought up to date."""
    with _INDEXES_LOCK:
        loaded = _FINGERS.get(engine)
        if loaded is None:
            loaded = _FINGERS[engine] = _Loaded(FingerTemplate, _new_finger_index, _load_fingers)
    return loaded.refresh(session, sealer)
