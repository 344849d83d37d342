"""Names the data migrations store, marked for translation: records show them through gettext."""

from django.utils.translation import gettext_noop as N_

DEFAULT_PIPELINE_NAME = N_("Sales pipeline")
