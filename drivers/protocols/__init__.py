"""Pure lock-board protocols: bytes in, values out, no I/O.

Every decoder raises :class:`drivers.protocols.common.FrameError` (and nothing else) on bad input.
"""
