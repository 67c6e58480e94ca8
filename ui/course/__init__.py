"""A client's course: the program calendar, the template editor and the course timeline."""

from ui.course.calendar import ProgramCalendar
from ui.course.templates import TemplateEditor
from ui.course.timeline import CourseTimeline

__all__ = ["CourseTimeline", "ProgramCalendar", "TemplateEditor"]
