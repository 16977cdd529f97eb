"""Short articles in the genre the tool is for, written for the page's example buttons.

They are made up (events, people and figures are invented), in the style of police and
ministry press releases: a title line, a date, a lead paragraph, quotes, a byline.
"""

from __future__ import annotations

POLICE_VI = """\
Công an tỉnh Quảng Ninh ra quân bảo đảm an ninh, trật tự dịp Tết Nguyên đán

Ngày 05/01/2026, tại Hạ Long, Công an tỉnh Quảng Ninh tổ chức Lễ ra quân đợt cao điểm tấn công, trấn áp tội phạm. \
Đại tá Trần Minh Hải, Giám đốc Công an tỉnh chủ trì buổi lễ.

Năm 2025, lực lượng Công an tỉnh đã phát hiện, xử lý 1.250 vụ vi phạm pháp luật về trật tự xã hội, giảm 8,5% so \
với năm trước. Cảnh sát giao thông đã kiểm tra hơn 40.000 phương tiện trên các tuyến quốc lộ.

Phát biểu tại buổi lễ, Đại tá Trần Minh Hải yêu cầu cán bộ, chiến sĩ tăng cường tuần tra, kiểm soát và triển khai \
sâu rộng Phong trào Toàn dân bảo vệ an ninh Tổ quốc tại các khu dân cư.

Thu Hà
"""

MINISTRY_VI = """\
Bộ Y tế và Bộ Giáo dục và Đào tạo ký kết chương trình phối hợp về y tế trường học

Ngày 12/03/2026, tại Hà Nội, Bộ Y tế và Bộ Giáo dục và Đào tạo ký kết chương trình phối hợp giai đoạn 2026 – 2030 \
về chăm sóc sức khỏe học sinh. Thứ trưởng Bộ Y tế và Thứ trưởng Bộ Giáo dục và Đào tạo đồng chủ trì lễ ký kết.

Theo chương trình, hai bộ sẽ khám sức khỏe định kỳ cho hơn 23 triệu học sinh và bồi dưỡng 15.000 nhân viên y tế \
trường học mỗi năm.

“Sức khỏe của học sinh là nền tảng của chất lượng giáo dục”, Thứ trưởng Bộ Y tế nhấn mạnh.

Minh Châu
"""

MINISTRY_EN = """\
Ministry of Public Security and Ministry of Finance sign data-sharing agreement

On 20 February 2026, in Ha Noi, the Ministry of Public Security and the Ministry of Finance signed an agreement on \
sharing population data to speed up tax and customs procedures. The Deputy Minister of Public Security and the \
Deputy Minister of Finance co-chaired the ceremony.

Under the agreement, more than 5 million businesses will be able to verify their owners' identity online instead \
of submitting paper copies.

The two ministries will review the results at the end of 2026.
"""

# (article, direction label of the page) for gr.Examples
EXAMPLES: list[tuple[str, str]] = [(POLICE_VI, "vi"), (MINISTRY_VI, "vi"), (MINISTRY_EN, "en")]
