"""The embedded profile's channel layer: Channels' in-memory layer, with its clean-up run once a second.

`InMemoryChannelLayer` walks every channel queue and every group membership of the process to drop expired
messages on each `receive` and `group_send`: with hundreds of sockets in one process, that walk grew with
the square of the sockets and cost more than the deliveries themselves. Messages expire after a minute, so
dropping them up to a second late changes nothing.
"""

import time

from channels.layers import InMemoryChannelLayer

CLEAN_EVERY_S = 1.0


class ThrottledInMemoryChannelLayer(InMemoryChannelLayer):
    next_clean = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now < self.next_clean:
            return
        self.next_clean = now + CLEAN_EVERY_S
        super()._clean_expired()
