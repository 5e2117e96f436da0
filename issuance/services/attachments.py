"""Removing a scan attached to an application by mistake, before the application is submitted.

(Attaching is ``enrolment.attach_document``.) Once submitted, the scans are what the supervisor
decided on and stay; the police report a stolen card's replacement rests on stays while that
reason is recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from issuance.db.models import Application, CardReplacement, UploadedDocument
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize, require_office

if TYPE_CHECKING:
    from issuance.bootstrap import Context

# The states in which the clerk still edits the application.
EDITABLE = frozenset({State.DRAFT, State.COUPON_VERIFIED, State.PERMIT_LINKED,
                      State.BIOMETRICS_CAPTURED})  # fmt: skip


class DocumentNotAttached(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Ky dokument nuk është bashkëngjitur në këtë aplikim (mund të jetë hequr tashmë).",
            "This document is not attached to this application (it may be removed already).",
        )


class DocumentsFrozen(IssuanceError):
    def __init__(self, number: str) -> None:
        super().__init__(
            f"Aplikimi {number} është dorëzuar: dokumentet e tij nuk mund të hiqen më.",
            f"Application {number} is submitted: its documents can no longer be removed.",
        )


class PoliceReportInUse(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Ky është raporti i policisë për kartën e vjedhur. Ndryshoni fillimisht arsyen e "
            "zëvendësimit ose bashkëngjitni një raport tjetër.",
            "This is the police report for the stolen card. Change the replacement's reason or "
            "attach another report first.",
        )


def remove_document(ctx: Context, actor: Actor, application_id: int, document_id: int) -> None:
    authorize(actor, UseCase.ENROL)
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        if State(application.state) not in EDITABLE:
            raise DocumentsFrozen(application.number)
        document = session.get(UploadedDocument, document_id)
        if document is None or document.application_id != application.id:
            raise DocumentNotAttached()
        in_use = session.execute(
            select(CardReplacement.id).where(CardReplacement.police_report_id == document.id)
        ).first()
        if in_use is not None:
            raise PoliceReportInUse()
        session.delete(document)
        audit.record(
            session, actor, "document.removed", "application", application.id,
            {"document": document_id}, at=ctx.clock(),
        )  # fmt: skip
        uow.commit()
