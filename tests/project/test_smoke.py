"""Can a roster member get help through the whole path?"""


def test_help_reply(make_member, send_text):
    """Does 帮助 come back as an encrypted, signed text reply?"""
    member = make_member("zhangsan", "张三")
    delivery = send_text(member, "帮助")
    assert delivery.status == 200
    assert "先锋学习助手" in delivery.text
