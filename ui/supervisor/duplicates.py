"""Biometric possible duplicates of one application in the supervisor's detail: each match
with its score and the other application, and the supervisor's decision on each (the same
person rejects the application; another person is recorded with a reason)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from issuance.biometrics import minutiae
from issuance.services import dedup, enrolment
from issuance.services.dedup import DuplicateReview, PossibleDuplicate
from ui.context import DeskContext
from ui.supervisor.detail import ReasonDialog
from ui.supervisor.models import state_name
from ui.widgets import named

_OTHER = Qt.ItemDataRole.UserRole


class DuplicateDialog(ReasonDialog):
    """Asks why the supervisor judges a match to be the same person or another person."""

    def __init__(self, number: str, other: str, same_person: bool, parent: QWidget | None = None):
        super().__init__("duplicate-dialog", parent)
        self.confirm.setObjectName("duplicate-confirm")
        reason = named(QLineEdit(), "duplicate-reason")
        reason.setPlaceholderText(self.tr("Reason (required)"))
        if same_person:
            title = self.tr("Same person: reject application {number}").format(number=number)
            question = self.tr(
                "&Why is the applicant of {number} the same person as the applicant of "
                "{other}? Application {number} is rejected with this reason. (required)"
            ).format(number=number, other=other)
            confirm = self.tr("Same person: &reject")
        else:
            title = self.tr("Another person")
            question = self.tr(
                "&Why is the applicant of {number} another person than the applicant of "
                "{other}? The decision is kept in the application's history. (required)"
            ).format(number=number, other=other)
            confirm = self.tr("Another &person")
        self._lay_out(title, question, confirm, reason)


class FaceMatches(QGroupBox):
    """The list of biometric matches and the two decision buttons."""

    # (application id, rejection reason or "" when the match was judged another person)
    decided = Signal(int, str)

    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Possible duplicates by face and fingerprints"))
        self._desk = desk
        self.application_id: int | None = None
        self.number = ""
        self.review: DuplicateReview | None = None
        self.dialog: DuplicateDialog | None = None
        self.summary = named(QLabel(wordWrap=True), "face-matches-summary")
        self.matches = named(QListWidget(), "face-matches")
        self.matches.setMaximumHeight(110)
        self.same_button = named(QPushButton(self.tr("&Same person…")), "duplicate-same")
        self.other_button = named(QPushButton(self.tr("Ano&ther person…")), "duplicate-other")
        self.message = named(QLabel(wordWrap=True), "face-matches-message")
        self.same_button.clicked.connect(lambda: self.ask(same_person=True))
        self.other_button.clicked.connect(lambda: self.ask(same_person=False))
        self.matches.currentItemChanged.connect(lambda *_: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.same_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.matches)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.clear()

    def clear(self) -> None:
        self.application_id, self.review = None, None
        self.matches.clear()
        self.summary.setText("")
        self.message.setText("")
        self._update_buttons()

    def load(self, application_id: int, number: str) -> None:
        """Searches (in a worker) the application's face and fingers among every applicant's."""
        self.application_id, self.number, self.review = application_id, number, None
        self.matches.clear()
        self.message.setText("")
        self.summary.setText(self.tr("Comparing the face and fingerprints with every applicant…"))
        self._update_buttons()
        ctx, actor = self._desk.ctx, self._desk.actor
        assert actor is not None
        self._desk.jobs.run(
            lambda: dedup.review(ctx, actor, application_id), self._loaded, self._failed
        )

    def text(self, duplicate: PossibleDuplicate) -> str:
        if duplicate.decision == dedup.DIFFERENT_PERSON:
            decision = self.tr("decided: another person ({reason})").format(
                reason=duplicate.decision_reason
            )
        elif duplicate.decision == dedup.SAME_PERSON:
            decision = self.tr("decided: same person")
        else:
            decision = self.tr("no decision yet")
        return self.tr("{matched} with application {number} ({name}, {state}) — {decision}").format(
            matched=self.matched(duplicate), number=duplicate.other_number,
            name=duplicate.other_name,
            state=state_name(duplicate.other_state, self._desk.language), decision=decision,
        )  # fmt: skip

    def matched(self, duplicate: PossibleDuplicate) -> str:
        """What matched: the face with its score, the fingers with BOZORTH3's."""
        parts = []
        if duplicate.score is not None:
            parts.append(self.tr("Face match {score:.0%}").format(score=duplicate.score))
        if duplicate.fingers:
            fingers = ", ".join(
                enrolment.position_name(p, self._desk.language) for p in duplicate.fingers
            )
            parts.append(
                self.tr("fingerprints match ({fingers}; score {score}, a match from {least})")
                .format(fingers=fingers, score=duplicate.finger_score,
                        least=minutiae.SAME_FINGER_SCORE)
            )  # fmt: skip
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]

    def _loaded(self, review: DuplicateReview) -> None:
        if review.application_id != self.application_id:
            return  # the supervisor has moved on
        self.review = review
        self.matches.clear()
        for duplicate in review.duplicates:
            item = QListWidgetItem(self.text(duplicate))
            item.setData(_OTHER, duplicate.other_application_id)
            self.matches.addItem(item)
        if not review.compared and not review.fingers_compared:
            self.summary.setText(
                self.tr("Neither the face nor the fingerprints could be compared.")
            )
        elif not review.duplicates:
            self.summary.setText(self._nothing_found(review))
        elif review.undecided:
            self.summary.setText(
                self.tr("Decide on each match before approving ({count} without a decision).")
                .format(count=len(review.undecided))
            )  # fmt: skip
        else:
            self.summary.setText(self.tr("Every match has a decision."))
        if review.undecided:
            first = next(i for i, d in enumerate(review.duplicates) if d.decision is None)
            self.matches.setCurrentRow(first)
        self._update_buttons()

    def _nothing_found(self, review: DuplicateReview) -> str:
        if not review.compared:
            return self.tr(
                "No other applicant or card holder has these fingerprints (the face could not "
                "be compared)."
            )
        if not review.fingers_compared:
            return self.tr(
                "No other applicant or card holder has this face (the fingerprints could not "
                "be compared)."
            )
        return self.tr("No other applicant or card holder has this face or these fingerprints.")

    def _failed(self, error: Exception) -> None:
        self.summary.setText(self._desk.message(error))

    def current(self) -> PossibleDuplicate | None:
        item = self.matches.currentItem()
        if item is None or self.review is None:
            return None
        other = item.data(_OTHER)
        return next((d for d in self.review.duplicates if d.other_application_id == other), None)

    def _update_buttons(self) -> None:
        chosen = self.current()
        open_ = chosen is not None and chosen.decision is None and self.dialog is None
        self.same_button.setEnabled(open_)
        self.other_button.setEnabled(open_)

    def ask(self, *, same_person: bool) -> None:
        chosen = self.current()
        if chosen is None or chosen.decision is not None or self.application_id is None:
            return
        dialog = DuplicateDialog(self.number, chosen.other_number, same_person, self)
        application_id, other = self.application_id, chosen.other_application_id
        dialog.finished.connect(
            lambda result: self._answered(dialog, application_id, other, same_person, result)
        )
        self.dialog = dialog
        self._update_buttons()
        dialog.open()

    def _answered(
        self, dialog: DuplicateDialog, application_id: int, other: int, same: bool, result: int
    ) -> None:
        self.dialog = None
        reason = dialog.text()
        dialog.deleteLater()
        self._update_buttons()
        if result != DuplicateDialog.DialogCode.Accepted:
            return
        ctx, actor = self._desk.ctx, self._desk.actor
        assert actor is not None

        def decide() -> tuple[int, str]:
            dedup.decide(ctx, actor, application_id, other, same_person=same, reason=reason)
            return application_id, reason.strip() if same else ""

        self.same_button.setEnabled(False)
        self.other_button.setEnabled(False)
        self._desk.jobs.run(decide, self._decided, self._decision_failed)

    def _decided(self, result: tuple[int, str]) -> None:
        application_id, rejected = result
        self.decided.emit(application_id, rejected)
        if application_id == self.application_id:
            self.message.setText(self.tr("The decision is recorded."))
            self.load(application_id, self.number)

    def _decision_failed(self, error: Exception) -> None:
        self.message.setText(self._desk.message(error))
        self._update_buttons()
