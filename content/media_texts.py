"""The Chinese messages of image uploads and Word imports in the material editor."""

from __future__ import annotations

# images (PNG, JPEG, WebP)
IMAGE_NO_FILE = "请选择要上传的图片。"
IMAGE_EMPTY = "图片文件是空的。"
IMAGE_TOO_LARGE = "图片超过 {limit}，请压缩后再上传。"
IMAGE_NOT_SUPPORTED = "只能上传 PNG、JPEG 或 WebP 格式的图片。"
IMAGE_BROKEN = "图片已损坏或无法读取。"
IMAGE_TOO_MANY_PIXELS = "图片尺寸过大（像素太多），请缩小后再上传。"

# Word import (.docx)
DOCX_NO_FILE = "请选择要导入的 Word 文件（.docx）。"
DOCX_EMPTY = "Word 文件是空的。"
DOCX_TOO_LARGE = "Word 文件超过 {limit}，请删减内容或压缩其中的图片后再导入。"
DOCX_NOT_WORD = "这不是 Word 文件（.docx）。旧版 .doc 请先在 Word 中另存为 .docx。"
DOCX_OLD_OR_PROTECTED = ("这是旧版 .doc 或设了密码的 Word 文件：请取消密码并在 Word 中另存为 .docx "
                         "后再导入。")
DOCX_UNREADABLE = "无法读取这个 Word 文件，请在 Word 中另存为 .docx 后再试。"
DOCX_IMAGE_SKIPPED = "第 {number} 张图片未导入：{reason}"
