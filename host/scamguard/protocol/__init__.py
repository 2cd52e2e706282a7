"""Wire protocol v1 (docs/protocol.md): framing plus typed messages."""
from .framing import Frame, FrameDecoder, TextLine, encode_frame
from .messages import decode_message, encode_message

__all__ = ["Frame", "FrameDecoder", "TextLine", "encode_frame", "decode_message", "encode_message"]
