"""The privacy notice (个人信息处理规则) shown at /privacy/notice/ and agreed to at registration. Change the
text in templates/privacy/_notice_body.html together with NOTICE_VERSION: consents name the version agreed to,
and everyone is asked to agree to a new version at their next request (consent.py)."""

NOTICE_VERSION = "2026-12-05"
