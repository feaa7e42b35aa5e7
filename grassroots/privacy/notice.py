"""The privacy notice (个人信息处理规则) shown at /privacy/notice/ and agreed to at registration. Change the
text in templates/privacy/notice.html together with NOTICE_VERSION: consents name the version agreed to."""

NOTICE_VERSION = "2026-12-01"
