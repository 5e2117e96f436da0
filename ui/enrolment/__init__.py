"""The clerk's screens: the queue of drafts and submissions, and the enrolment wizard."""

from ui.enrolment.home import EnrolmentHome
from ui.enrolment.wizard import EnrolmentWizard

__all__ = ["EnrolmentHome", "EnrolmentWizard"]
