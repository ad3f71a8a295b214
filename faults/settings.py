"""The project's settings for the processes the fault suite starts, plus one switch of its own.

`FAULTS_DROP_ONE_IN=N` (set by the suite for the dropped-sends fault only) wraps the channel layer so that one
group send in N is lost, as a real at-most-once layer may lose one: faults/layers.py. Without it nothing differs
from `config.settings`; production never loads this module.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CHANNEL_LAYERS

if os.environ.get("FAULTS_DROP_ONE_IN"):
    CHANNEL_LAYERS["default"]["BACKEND"] = "faults.layers.DroppingChannelLayer"
