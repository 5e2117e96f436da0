"""A scan attached by mistake is removed before submission, audited; never after."""

from __future__ import annotations

import pytest

from issuance.security.permissions import NotPermitted
from issuance.services import attachments, enrolment
from tests.conftest import raw_rows
from tests.support.world import build_world, enrol_captured

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_removed_before_submission_and_audited(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_captured(ctx, world.clerk)
    keep = enrolment.attach_document(ctx, world.clerk, application_id, "pasaporta.pdf", PDF)
    wrong = enrolment.attach_document(ctx, world.clerk, application_id, "gabim.pdf", PDF)
    attachments.remove_document(ctx, world.clerk, application_id, wrong)
    assert raw_rows(ctx, "SELECT id, filename FROM uploaded_documents") == [
        (keep, "pasaporta.pdf")
    ]
    events = raw_rows(ctx, "SELECT action FROM audit_events WHERE action LIKE 'document.%' "
                           "ORDER BY id")  # fmt: skip
    assert [e[0] for e in events] == ["document.attached", "document.attached", "document.removed"]
    with pytest.raises(attachments.DocumentNotAttached):  # twice: already gone
        attachments.remove_document(ctx, world.clerk, application_id, wrong)


def test_refused_after_submission_for_another_application_and_for_other_roles(ctx, console):
    world = build_world(ctx, console)
    first = enrol_captured(ctx, world.clerk, coupon="PS-0001")
    other = enrol_captured(ctx, world.clerk, coupon="PS-0002", permit_number="LQ0000002",
                           passport_number="P0000002")  # fmt: skip
    document = enrolment.attach_document(ctx, world.clerk, first, "a.pdf", PDF)
    with pytest.raises(attachments.DocumentNotAttached):
        attachments.remove_document(ctx, world.clerk, other, document)
    with pytest.raises(NotPermitted):
        attachments.remove_document(ctx, world.supervisor, first, document)
    enrolment.acknowledge_privacy_notice(ctx, world.clerk, first)
    enrolment.submit(ctx, world.clerk, first)
    with pytest.raises(attachments.DocumentsFrozen) as refused:
        attachments.remove_document(ctx, world.clerk, first, document)
    assert "submitted" in refused.value.message("en")
    assert len(raw_rows(ctx, "SELECT id FROM uploaded_documents")) == 1
