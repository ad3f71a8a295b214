"""A channel layer that loses one group send in `FAULTS_DROP_ONE_IN` (faults/settings.py uses it).

Each process drops its sends number k, k + N, k + 2N, ... with k drawn at random in [1, N]: a process that makes
fewer than N sends still has its chance of losing one, and over a run the rate is one in N. Each drop is logged
as a warning naming the group, so the suite can count them in the processes' logs.
"""

import logging
import os
import random

from config.layers import RedisGroupsChannelLayer
from faults import DROPPED

log = logging.getLogger(__name__)


class DroppingChannelLayer(RedisGroupsChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.one_in = int(os.environ["FAULTS_DROP_ONE_IN"])
        self.sends = 0
        self.next_drop = random.randint(1, self.one_in)

    async def group_send(self, group, message):
        self.sends += 1
        if self.sends == self.next_drop:
            self.next_drop += self.one_in
            log.warning("%s %d to %s", DROPPED, self.sends, group)
            return
        # The parent class reaches its per-loop layer through __getattr__, which super() does not consult.
        await self._get_layer().group_send(group, message)
