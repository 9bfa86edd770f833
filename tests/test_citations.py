"""parse_citations: one legal-basis clause in, the instruments it cites out."""
from __future__ import annotations

import random

import pytest

from pipeline.structure.citations import ABBREVIATIONS, parse_citations


def C(kind, reference, number, year, symbol, date, issuer, title):
    return {"kind": kind, "reference": reference, "number": number, "year": year, "symbol": symbol,
            "date": date, "issuer": issuer, "title": title}


# The five clauses of the seed plan (Kế hoạch 56/KH-UBND, Quảng Ninh, 2024).
SEED = [
    ('Căn cứ Luật Thực hiện dân chủ ở cơ sở;',
     [C('Luật', None, None, None, None, None, None, 'Thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ quy định chi tiết một số điều của Luật Thực hiện dân chủ ở cơ sở;',
     [C('Nghị định', '59/2023/NĐ-CP', '59', 2023, 'NĐ-CP', '2023-08-14', 'Chính phủ', 'quy định chi tiết một số điều của Luật Thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Quyết định số 346/QĐ-TTg ngày 06/4/2023 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai thi hành Luật Thực hiện dân chủ ở cơ sở;',
     [C('Quyết định', '346/QĐ-TTg', '346', None, 'QĐ-TTg', '2023-04-06', 'Thủ tướng Chính phủ', 'ban hành Kế hoạch triển khai thi hành Luật Thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Nghị quyết số 179/NQ-HĐND ngày 08/12/2023 của Hội đồng nhân dân tỉnh, khóa XIV, nhiệm kỳ 2021-2026, kỳ họp khóa 16 về các biện pháp bảo đảm thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Quảng Ninh;',
     [C('Nghị quyết', '179/NQ-HĐND', '179', None, 'NQ-HĐND', '2023-12-08', 'Hội đồng nhân dân tỉnh', 'các biện pháp bảo đảm thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Quảng Ninh')]),
    ('Căn cứ Kế hoạch số 160/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh về triển khai thi hành Luật Thực hiện dân chủ ở cơ sở; Kế hoạch số 25/KH-UBND ngày 02/02/2024 của Ủy ban nhân dân tỉnh về triển khai thực hiện Nghị quyết số 179/NQ-HĐND ngày 08/12/2023 của HĐND tỉnh về các biện pháp thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Quảng Ninh',
     [C('Kế hoạch', '160/KH-UBND', '160', None, 'KH-UBND', '2023-06-20', 'Ủy ban nhân dân tỉnh', 'triển khai thi hành Luật Thực hiện dân chủ ở cơ sở'),
      C('Kế hoạch', '25/KH-UBND', '25', None, 'KH-UBND', '2024-02-02', 'Ủy ban nhân dân tỉnh', 'triển khai thực hiện Nghị quyết số 179/NQ-HĐND ngày 08/12/2023 của HĐND tỉnh về các biện pháp thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Quảng Ninh')]),
]

# Verbatim "Căn cứ"/"Thực hiện" lines of the documents in shared/real-docs (whitespace collapsed).
REAL = [
    ('Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13 đã được sửa đổi, bổ sung một số điều thao Luật số 83/2025/QH15;',
     [C('Luật', '85/2015/QH13', '85', 2015, 'QH13', None, None, 'Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân'),
      C('Luật', '83/2025/QH15', '83', 2025, 'QH15', None, None, None)]),
    ('Căn cứ Nghị quyết số 101/2025/UBTVQH15 ngày 26/9/2025 và Nghị quyết liên tịch số 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN ngày 26/9/2025 hướng dẫn quy trình hiệp thương, giới thiệu người ứng cử;',
     [C('Nghị quyết', '101/2025/UBTVQH15', '101', 2025, 'UBTVQH15', '2025-09-26', None, None),
      C('Nghị quyết liên tịch', '102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN', '102', 2025, 'NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN', '2025-09-26', None, 'hướng dẫn quy trình hiệp thương, giới thiệu người ứng cử')]),
    ('Căn cứ Nghị quyết số 40/NQ-HĐBCQG ngày 29/9/2025 của Hội đồng bầu cử quốc gia quy định mẫu văn bản hồ sơ ứng cử và việc nộp hồ sơ ứng cử; nội quy phòng bỏ phiếu trong công tác bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng Nhân dân các cấp nhiệm kỳ 2026-2031;',
     [C('Nghị quyết', '40/NQ-HĐBCQG', '40', None, 'NQ-HĐBCQG', '2025-09-29', 'Hội đồng bầu cử quốc gia', 'quy định mẫu văn bản hồ sơ ứng cử và việc nộp hồ sơ ứng cử; nội quy phòng bỏ phiếu trong công tác bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng Nhân dân các cấp nhiệm kỳ 2026-2031')]),
    ('Căn cứ Thông báo số 17/TB-TTHĐND ngày 12/12/2025 của HĐND xã Lương Minh về điều chỉnh cơ cấu, số lượng, thành phần và phân bổ số lượng người được giới thiệu ứng cử đại biểu HĐND xã Lương Minh khóa II, nhiệm kỳ 2026-2031; Thông báo của MTTQ xã về việc phân bổ số lượng, cơ cấu, thành phần cho các cơ quan, tổ chức, đơn vị, thôn trên địa bàn xã được giới thiệu người ứng cử đại biểu Hội đồng nhân dân xã, nhiệm kỳ 2026 – 2031.',
     [C('Thông báo', '17/TB-TTHĐND', '17', None, 'TB-TTHĐND', '2025-12-12', 'HĐND xã Lương Minh', 'điều chỉnh cơ cấu, số lượng, thành phần và phân bổ số lượng người được giới thiệu ứng cử đại biểu HĐND xã Lương Minh khóa II, nhiệm kỳ 2026-2031'),
      C('Thông báo', None, None, None, None, None, 'MTTQ xã', 'phân bổ số lượng, cơ cấu, thành phần cho các cơ quan, tổ chức, đơn vị, thôn trên địa bàn xã được giới thiệu người ứng cử đại biểu Hội đồng nhân dân xã, nhiệm kỳ 2026 – 2031')]),
    ('Căn cứ Nghị quyết số 101/2025/UBTVQH15 ngày 26 tháng 9 năm 2025 của Ủy ban Thường vụ Quốc hội quy định chi tiết, hướng dẫn việc tổ chức hội nghị cử tri; việc giới thiệu người ứng cử đại biểu Hội đồng nhân dân cấp xã ở thôn, tổ dân phố; việc hiệp thương, giới thiệu người ứng cử, lập danh sách người ứng cử đại biểu Quốc hội, đại biểu Hội đồng nhân dân trong bầu cử bổ sung.',
     [C('Nghị quyết', '101/2025/UBTVQH15', '101', 2025, 'UBTVQH15', '2025-09-26', 'Ủy ban Thường vụ Quốc hội', 'quy định chi tiết, hướng dẫn việc tổ chức hội nghị cử tri; việc giới thiệu người ứng cử đại biểu Hội đồng nhân dân cấp xã ở thôn, tổ dân phố; việc hiệp thương, giới thiệu người ứng cử, lập danh sách người ứng cử đại biểu Quốc hội, đại biểu Hội đồng nhân dân trong bầu cử bổ sung')]),
    ('Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân và Luật sửa đổi, bổ sung một số điều của Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân ngày 24/6/2025;',
     [C('Luật', None, None, None, None, None, None, 'Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân'),
      C('Luật', None, None, None, None, '2025-06-24', None, 'sửa đổi, bổ sung một số điều của Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân')]),
    ('Căn cứ Thông tri số 04/TT-MTTW-BTT Ngày 04/11/2025 của Uỷ ban MTTQ Việt Nam về Hướng dẫn Uỷ ban MTTQ Việt Nam kiểm tra, giám sát công tác bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 – 2031;',
     [C('Thông tri', '04/TT-MTTW-BTT', '04', None, 'TT-MTTW-BTT', '2025-11-04', 'Uỷ ban MTTQ Việt Nam', 'Hướng dẫn Uỷ ban MTTQ Việt Nam kiểm tra, giám sát công tác bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 – 2031')]),
    ('Căn cứ Quyết định số 03/QĐ-UBBC ngày 05/12/2025 của Ủy ban bầu cử xã Phố Bảng Về việc thành lập Tiểu ban thông tin, tuyên truyền, khánh tiết bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp, nhiệm kỳ 2026 - 2031 trên địa bàn xã Phố Bảng.',
     [C('Quyết định', '03/QĐ-UBBC', '03', None, 'QĐ-UBBC', '2025-12-05', 'Ủy ban bầu cử xã Phố Bảng', 'thành lập Tiểu ban thông tin, tuyên truyền, khánh tiết bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp, nhiệm kỳ 2026 - 2031 trên địa bàn xã Phố Bảng')]),
    ('Thực hiện Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân ngày 25 tháng 6 năm 2015 và Luật sửa đổi, bổ sung một số điều của Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân ngày 24 tháng 6 năm 2025;',
     [C('Luật', None, None, None, None, '2015-06-25', None, 'Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân'),
      C('Luật', None, None, None, None, '2025-06-24', None, 'sửa đổi, bổ sung một số điều của Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân')]),
    ('Căn cứ Nghị quyết liên tịch số 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN, ngày 26 tháng 9 năm 2025 của Ủy ban Thường vụ Quốc hội, Chính phủ và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam hướng dẫn quy trình hiệp thương, giới thiệu người ứng cử đại biểu Quốc hội khóa XVI, đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031;',
     [C('Nghị quyết liên tịch', '102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN', '102', 2025, 'NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN', '2025-09-26', 'Ủy ban Thường vụ Quốc hội, Chính phủ và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam', 'hướng dẫn quy trình hiệp thương, giới thiệu người ứng cử đại biểu Quốc hội khóa XVI, đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031')]),
    ('Căn cứ Hướng dẫn số 01/HD-MTTQ-BTT ngày 28/11/2025 của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Quảng Ninh về quy trình hiệp thương, giới thiệu người ứng cử đại biểu Quốc hội khóa XVI, đại biểu Hội đồng Nhân dân các cấp nhiệm kỳ 2026 – 2031 của Ủy ban Mặt trận Tổ quốc Việt Nam các cấp tỉnh Quảng Ninh.',
     [C('Hướng dẫn', '01/HD-MTTQ-BTT', '01', None, 'HD-MTTQ-BTT', '2025-11-28', 'Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Quảng Ninh', 'quy trình hiệp thương, giới thiệu người ứng cử đại biểu Quốc hội khóa XVI, đại biểu Hội đồng Nhân dân các cấp nhiệm kỳ 2026 – 2031 của Ủy ban Mặt trận Tổ quốc Việt Nam các cấp tỉnh Quảng Ninh')]),
    ('Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13, ngày 25/6/2015 và được sửa đổi, bổ sung bởi Luật số 83/2025/QH15; Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13 được sửa đổi bổ sung bởi Luật số 97/2025/QH15; Luật Khiếu nại số 02/2011/QH13; Luật Tố cáo số 25/2018/QH14; Căn cứ Hướng dẫn số 19-HD/UBKTTW ngày 25/8/2025 của Ủy ban Kiểm tra Trung ương về việc giải quyết tố cáo, khiếu nại về bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031;',
     [C('Luật', '85/2015/QH13', '85', 2015, 'QH13', '2015-06-25', None, 'Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân'),
      C('Luật', '83/2025/QH15', '83', 2025, 'QH15', None, None, None),
      C('Luật', '75/2015/QH13', '75', 2015, 'QH13', None, None, 'Mặt trận Tổ quốc Việt Nam'),
      C('Luật', '97/2025/QH15', '97', 2025, 'QH15', None, None, None),
      C('Luật', '02/2011/QH13', '02', 2011, 'QH13', None, None, 'Khiếu nại'),
      C('Luật', '25/2018/QH14', '25', 2018, 'QH14', None, None, 'Tố cáo'),
      C('Hướng dẫn', '19-HD/UBKTTW', '19', None, 'HD/UBKTTW', '2025-08-25', 'Ủy ban Kiểm tra Trung ương', 'giải quyết tố cáo, khiếu nại về bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031')]),
    ('Căn cứ Kế hoạch số 33/KH-MTTQ-BTT, ngày 14/11/2025 của Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh về việc thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031;',
     [C('Kế hoạch', '33/KH-MTTQ-BTT', '33', None, 'KH-MTTQ-BTT', '2025-11-14', 'Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031')]),
    ('Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam đã được sửa đổi, bổ sung một số điều theo Nghị quyết số 203/2025/QH15;',
     [C('Hiến pháp', None, None, None, None, None, None, 'nước Cộng hòa xã hội chủ nghĩa Việt Nam'),
      C('Nghị quyết', '203/2025/QH15', '203', 2025, 'QH15', None, None, None)]),
    ('Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15 được sửa đổi, bổ sung bởi Luật số 87/2025/QH15;',
     [C('Luật', '64/2025/QH15', '64', 2025, 'QH15', None, None, 'Ban hành văn bản quy phạm pháp luật'),
      C('Luật', '87/2025/QH15', '87', 2025, 'QH15', None, None, None)]),
    ('Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13 được sửa đổi, bổ sung bởi Luật số 56/2024/QH15; Luật Ngân sách nhà nước số 89/2025/QH15;',
     [C('Luật', '83/2015/QH13', '83', 2015, 'QH13', None, None, 'Ngân sách nhà nước'),
      C('Luật', '56/2024/QH15', '56', 2024, 'QH15', None, None, None),
      C('Luật', '89/2025/QH15', '89', 2025, 'QH15', None, None, 'Ngân sách nhà nước')]),
    ('Căn cứ Thông tư số 87/2025/TT-BTC hướng dẫn việc lập dự toán, quản lý, sử dụng và quyết toán kinh phí bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031;',
     [C('Thông tư', '87/2025/TT-BTC', '87', 2025, 'TT-BTC', None, None, 'hướng dẫn việc lập dự toán, quản lý, sử dụng và quyết toán kinh phí bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031')]),
    ('Căn cứ Kế hoạch số 16/KH-MTTQ-BTT ngày 18/11/2025 của Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã về thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI, đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031.',
     [C('Kế hoạch', '16/KH-MTTQ-BTT', '16', None, 'KH-MTTQ-BTT', '2025-11-18', 'Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã', 'thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI, đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031')]),
    ('Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13, ngày 25/6/2015 và được sửa đổi, bổ sung một số điều tại Luật số 83/2025/QH15, ngày 24/6/2025; Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13, ngày 09/6/2015 và Luật số 97/2025/QH15, ngày 27/6/2025 về sửa đổi, bổ sung một số điều của Luật Mặt trận Tổ quốc Việt Nam, Luật Công đoàn, Luật Thanh niên, Luật Thực hiện dân chủ ở cơ sở; Chỉ thị số 46-CT/TW, ngày 16/5/2025 của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031; Kế hoạch số 06/KH-MTTW-BTT, ngày 22/7/2025 của Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam về thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031; Kế hoạch số 33/KH-MTTQ-BTT, ngày 17/11/2025 của Ban Thường trực Ủy ban MTTQ Việt Nam xã Quảng Ninh về Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031; Kế hoạch số 21-KH/ĐU, ngày 29/7/2025 của Ban Thường vụ Đảng ủy xã Lương Minh về triển khai thực hiện Chỉ thị số 46-CT/TW, ngày 16/5/2025 của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 – 2031;',
     [C('Luật', '85/2015/QH13', '85', 2015, 'QH13', '2015-06-25', None, 'Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân'),
      C('Luật', '83/2025/QH15', '83', 2025, 'QH15', '2025-06-24', None, None),
      C('Luật', '75/2015/QH13', '75', 2015, 'QH13', '2015-06-09', None, 'Mặt trận Tổ quốc Việt Nam'),
      C('Luật', '97/2025/QH15', '97', 2025, 'QH15', '2025-06-27', None, 'sửa đổi, bổ sung một số điều của Luật Mặt trận Tổ quốc Việt Nam, Luật Công đoàn, Luật Thanh niên, Luật Thực hiện dân chủ ở cơ sở'),
      C('Chỉ thị', '46-CT/TW', '46', None, 'CT/TW', '2025-05-16', 'Bộ Chính trị', 'lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031'),
      C('Kế hoạch', '06/KH-MTTW-BTT', '06', None, 'KH-MTTW-BTT', '2025-07-22', 'Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam', 'thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031'),
      C('Kế hoạch', '33/KH-MTTQ-BTT', '33', None, 'KH-MTTQ-BTT', '2025-11-17', 'Ban Thường trực Ủy ban MTTQ Việt Nam xã Quảng Ninh', 'Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031'),
      C('Kế hoạch', '21-KH/ĐU', '21', None, 'KH/ĐU', '2025-07-29', 'Ban Thường vụ Đảng ủy xã Lương Minh', 'triển khai thực hiện Chỉ thị số 46-CT/TW, ngày 16/5/2025 của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 – 2031')]),
    ('Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;',
     [C('Luật', '72/2025/QH15', '72', 2025, 'QH15', None, None, 'Tổ chức chính quyền địa phương')]),
    ('Căn cứ Kế hoạch số 18/KH-MTTQ-BTT ngày 12/01/2026 của Ban Thường trực Ủy ban MTTQ Việt Nam xã Lương Minh về tiếp công dân, xử lý đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh phục vụ bầu cử;',
     [C('Kế hoạch', '18/KH-MTTQ-BTT', '18', None, 'KH-MTTQ-BTT', '2026-01-12', 'Ban Thường trực Ủy ban MTTQ Việt Nam xã Lương Minh', 'tiếp công dân, xử lý đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh phục vụ bầu cử')]),
]

# Written in the style of real preambles: stray spaces, case, abbreviations, party documents,
# joint instruments, dates in every style, several instruments per clause, drafts.
BUILT = [
    ('Căn cứ Thông tư số 21/2025/TT - BNV ngày 05/9/2025 của Bộ Nội vụ hướng dẫn chức năng, nhiệm vụ, quyền hạn của cơ quan chuyên môn;',
     [C('Thông tư', '21/2025/TT-BNV', '21', 2025, 'TT-BNV', '2025-09-05', 'Bộ Nội vụ', 'hướng dẫn chức năng, nhiệm vụ, quyền hạn của cơ quan chuyên môn')]),
    ('căn cứ nghị định số 59/2023/NĐ - CP ngày 14-8-2023 của Chính phủ;',
     [C('Nghị định', '59/2023/NĐ-CP', '59', 2023, 'NĐ-CP', '2023-08-14', 'Chính phủ', None)]),
    ('Căn cứ Nghị định 59 / 2023 / NĐ-CP ngày 14.8.2023 của Chính phủ;',
     [C('Nghị định', '59/2023/NĐ-CP', '59', 2023, 'NĐ-CP', '2023-08-14', 'Chính phủ', None)]),
    ('CĂN CỨ NGHỊ ĐỊNH SỐ 59/2023/ND-CP NGÀY 14/8/2023 CỦA CHÍNH PHỦ;',
     [C('Nghị định', '59/2023/ND-CP', '59', 2023, 'ND-CP', '2023-08-14', 'CHÍNH PHỦ', None)]),
    ('Căn cứ NĐ 59/2023/NĐ-CP của Chính phủ; QĐ 346/QĐ-TTg của Thủ tướng Chính phủ; NQ 179/NQ-HĐND; TT 21/2025/TT-BNV',
     [C('Nghị định', '59/2023/NĐ-CP', '59', 2023, 'NĐ-CP', None, 'Chính phủ', None),
      C('Quyết định', '346/QĐ-TTg', '346', None, 'QĐ-TTg', None, 'Thủ tướng Chính phủ', None),
      C('Nghị quyết', '179/NQ-HĐND', '179', None, 'NQ-HĐND', None, None, None),
      C('Thông tư', '21/2025/TT-BNV', '21', 2025, 'TT-BNV', None, None, None)]),
    ('Thực hiện Chỉ thị số 30-CT/TW ngày 18/02/1998 của Bộ Chính trị về xây dựng và thực hiện Quy chế dân chủ ở cơ sở;',
     [C('Chỉ thị', '30-CT/TW', '30', None, 'CT/TW', '1998-02-18', 'Bộ Chính trị', 'xây dựng và thực hiện Quy chế dân chủ ở cơ sở')]),
    ('Thực hiện Kết luận 120-KL/TW ngày 20/01/2025 của Bộ Chính trị về tiếp tục đẩy mạnh thực hiện Chỉ thị số 30-CT/TW;',
     [C('Kết luận', '120-KL/TW', '120', None, 'KL/TW', '2025-01-20', 'Bộ Chính trị', 'tiếp tục đẩy mạnh thực hiện Chỉ thị số 30-CT/TW')]),
    ('Căn cứ Hiến pháp năm 2013;',
     [C('Hiến pháp', None, None, 2013, None, None, None, None)]),
    ('Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013;',
     [C('Hiến pháp', None, None, 2013, None, None, None, 'nước Cộng hòa xã hội chủ nghĩa Việt Nam')]),
    ('Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;',
     [C('Luật', None, None, None, None, '2015-06-19', None, 'Tổ chức chính quyền địa phương'),
      C('Luật', None, None, None, None, '2019-11-22', None, 'sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương')]),
    ('Căn cứ Luật số 10/2022/QH15 ngày 10/11/2022 của Quốc hội về thực hiện dân chủ ở cơ sở;',
     [C('Luật', '10/2022/QH15', '10', 2022, 'QH15', '2022-11-10', 'Quốc hội', 'thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022;',
     [C('Luật', '10/2022/QH15', '10', 2022, 'QH15', '2022-11-10', None, 'Thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Luật Cán bộ, công chức năm 2008; Luật Viên chức năm 2010; Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức năm 2019;',
     [C('Luật', None, None, 2008, None, None, None, 'Cán bộ, công chức'),
      C('Luật', None, None, 2010, None, None, None, 'Viên chức'),
      C('Luật', None, None, 2019, None, None, None, 'sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức')]),
    ('Căn cứ Bộ luật Lao động số 45/2019/QH14 ngày 20 tháng 11 năm 2019;',
     [C('Bộ luật', '45/2019/QH14', '45', 2019, 'QH14', '2019-11-20', None, 'Lao động')]),
    ('Căn cứ Quyết định Số: 1234/QĐ-UBND ngày 15/3/2024 của UBND huyện Tiên Yên về việc kiện toàn Ban Chỉ đạo thực hiện dân chủ ở cơ sở;',
     [C('Quyết định', '1234/QĐ-UBND', '1234', None, 'QĐ-UBND', '2024-03-15', 'UBND huyện Tiên Yên', 'kiện toàn Ban Chỉ đạo thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Nghị quyết số 99/2025/NQ-HĐND ngày 10/10/2025 của Hội đồng nhân dân tỉnh Quảng Ninh quy định mức chi bảo đảm cho công tác bầu cử;',
     [C('Nghị quyết', '99/2025/NQ-HĐND', '99', 2025, 'NQ-HĐND', '2025-10-10', 'Hội đồng nhân dân tỉnh Quảng Ninh', 'quy định mức chi bảo đảm cho công tác bầu cử')]),
    ('Căn cứ Thông tư liên tịch số 01/2016/TTLT-BNV-BTC ngày 20/01/2016 của Bộ Nội vụ, Bộ Tài chính hướng dẫn chế độ quản lý đặc thù;',
     [C('Thông tư liên tịch', '01/2016/TTLT-BNV-BTC', '01', 2016, 'TTLT-BNV-BTC', '2016-01-20', 'Bộ Nội vụ, Bộ Tài chính', 'hướng dẫn chế độ quản lý đặc thù')]),
    ('Căn cứ Công văn số 1234/UBND-NC ngày 3/4/2024 của UBND tỉnh về việc triển khai thực hiện dân chủ ở cơ sở;',
     [C('Công văn', '1234/UBND-NC', '1234', None, 'UBND-NC', '2024-04-03', 'UBND tỉnh', 'triển khai thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Quy chế làm việc của Ủy ban nhân dân xã nhiệm kỳ 2021-2026;',
     [C('Quy chế', None, None, None, None, None, 'Ủy ban nhân dân xã', 'làm việc')]),
    ('Căn cứ Pháp lệnh Thực hiện dân chủ ở xã, phường, thị trấn số 34/2007/PL-UBTVQH11 ngày 20/4/2007 của Ủy ban Thường vụ Quốc hội;',
     [C('Pháp lệnh', '34/2007/PL-UBTVQH11', '34', 2007, 'PL-UBTVQH11', '2007-04-20', 'Ủy ban Thường vụ Quốc hội', 'Thực hiện dân chủ ở xã, phường, thị trấn')]),
    ('Căn cứ Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ về thực hiện dân chủ trong hoạt động của cơ quan hành chính nhà nước và đơn vị sự nghiệp công lập, Nghị định số 24/2018/NĐ-CP ngày 27/02/2018 của Chính phủ quy định về giải quyết khiếu nại, tố cáo trong lĩnh vực lao động;',
     [C('Nghị định', '04/2015/NĐ-CP', '04', 2015, 'NĐ-CP', '2015-01-09', 'Chính phủ', 'thực hiện dân chủ trong hoạt động của cơ quan hành chính nhà nước và đơn vị sự nghiệp công lập'),
      C('Nghị định', '24/2018/NĐ-CP', '24', 2018, 'NĐ-CP', '2018-02-27', 'Chính phủ', 'quy định về giải quyết khiếu nại, tố cáo trong lĩnh vực lao động')]),
    ('Căn cứ Quy định số 124-QĐ/TW ngày 04/10/2023 của Ban Chấp hành Trung ương Đảng khóa XIII về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm;',
     [C('Quy định', '124-QĐ/TW', '124', None, 'QĐ/TW', '2023-10-04', 'Ban Chấp hành Trung ương Đảng', 'kiểm điểm và đánh giá, xếp loại chất lượng hằng năm')]),
    ('Căn cứ Nghị quyết số 27-NQ/TW ngày 09/11/2022 của Ban Chấp hành Trung ương khóa XIII về tiếp tục xây dựng và hoàn thiện Nhà nước pháp quyền xã hội chủ nghĩa Việt Nam trong giai đoạn mới;',
     [C('Nghị quyết', '27-NQ/TW', '27', None, 'NQ/TW', '2022-11-09', 'Ban Chấp hành Trung ương', 'tiếp tục xây dựng và hoàn thiện Nhà nước pháp quyền xã hội chủ nghĩa Việt Nam trong giai đoạn mới')]),
    ('Căn cứ Quyết định số 01/2024/QĐ-UBND ngày 01/02/2024 của Ủy ban nhân dân tỉnh ban hành Quy chế tổ chức và hoạt động của Ban Chỉ đạo;',
     [C('Quyết định', '01/2024/QĐ-UBND', '01', 2024, 'QĐ-UBND', '2024-02-01', 'Ủy ban nhân dân tỉnh', 'ban hành Quy chế tổ chức và hoạt động của Ban Chỉ đạo')]),
    ('Căn cứ Kế hoạch số /KH-UBND ngày tháng năm 2024 của UBND xã;',
     [C('Kế hoạch', '/KH-UBND', None, None, 'KH-UBND', None, 'UBND xã', None)]),
    ('Căn cứ Luật Thực hiện dân chủ ở cơ sở năm 2022 của Quốc hội;',
     [C('Luật', None, None, 2022, None, None, 'Quốc hội', 'Thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XV, nhiệm kỳ 2020-2025;',
     [C('Nghị quyết', None, None, None, None, None, None, 'Đại hội đại biểu Đảng bộ tỉnh lần thứ XV')]),
    ('Căn cứ Văn bản số 567/UBND-VX ngày 12/02/2025 của UBND tỉnh về việc hướng dẫn thực hiện Nghị định số 59/2023/NĐ-CP;',
     [C('Văn bản', '567/UBND-VX', '567', None, 'UBND-VX', '2025-02-12', 'UBND tỉnh', 'hướng dẫn thực hiện Nghị định số 59/2023/NĐ-CP')]),
    ('Căn cứ Luật Tổ chức Chính phủ, Luật Tổ chức chính quyền địa phương;',
     [C('Luật', None, None, None, None, None, None, 'Tổ chức Chính phủ'),
      C('Luật', None, None, None, None, None, None, 'Tổ chức chính quyền địa phương')]),
    ('Căn cứ Luật Phòng, chống tham nhũng ngày 20 tháng 11 năm 2018;',
     [C('Luật', None, None, None, None, '2018-11-20', None, 'Phòng, chống tham nhũng')]),
    ('Căn cứ Luật Đất đai số 31/2024/QH15 được Quốc hội khóa XV thông qua ngày 18/01/2024;',
     [C('Luật', '31/2024/QH15', '31', 2024, 'QH15', '2024-01-18', 'Quốc hội', 'Đất đai')]),
    ('Căn cứ Nghị định số 59/2023/NĐ-CP; Căn cứ Nghị định số 04/2015/NĐ-CP',
     [C('Nghị định', '59/2023/NĐ-CP', '59', 2023, 'NĐ-CP', None, None, None),
      C('Nghị định', '04/2015/NĐ-CP', '04', 2015, 'NĐ-CP', None, None, None)]),
    ('- Căn cứ Quyết định số 346/QĐ-TTg ngày 6/4/2023 của TTg CP',
     [C('Quyết định', '346/QĐ-TTg', '346', None, 'QĐ-TTg', '2023-04-06', 'TTg CP', None)]),
    ('Căn cứ Quyết định số 215/QĐ-UBND ngày 2/1/2024 của Ủy ban nhân dân tỉnh, Quyết định số 216/QĐ-UBND ngày 3/1/2024 của Chủ tịch UBND tỉnh',
     [C('Quyết định', '215/QĐ-UBND', '215', None, 'QĐ-UBND', '2024-01-02', 'Ủy ban nhân dân tỉnh', None),
      C('Quyết định', '216/QĐ-UBND', '216', None, 'QĐ-UBND', '2024-01-03', 'Chủ tịch UBND tỉnh', None)]),
    ('Căn cứ Nghị quyết liên tịch số 09/2008/NQLT-CP-UBTWMTTQVN ngày 17/4/2008 của Chính phủ và Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam hướng dẫn thi hành các Điều 11, Điều 14, Điều 16, Điều 22 và Điều 26 của Pháp lệnh thực hiện dân chủ ở xã, phường, thị trấn;',
     [C('Nghị quyết liên tịch', '09/2008/NQLT-CP-UBTWMTTQVN', '09', 2008, 'NQLT-CP-UBTWMTTQVN', '2008-04-17', 'Chính phủ và Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam', 'hướng dẫn thi hành các Điều 11, Điều 14, Điều 16, Điều 22 và Điều 26 của Pháp lệnh thực hiện dân chủ ở xã, phường, thị trấn')]),
    ('Căn cứ Chỉ thị số 16/CT-TTg ngày 10 tháng 5 năm 2024 của Thủ tướng Chính phủ về việc tăng cường thực hiện dân chủ ở cơ sở;',
     [C('Chỉ thị', '16/CT-TTg', '16', None, 'CT-TTg', '2024-05-10', 'Thủ tướng Chính phủ', 'tăng cường thực hiện dân chủ ở cơ sở')]),
    ('Căn cứ Hiến pháp, Luật Thực hiện dân chủ ở cơ sở và Nghị định số 59/2023/NĐ-CP',
     [C('Hiến pháp', None, None, None, None, None, None, None),
      C('Luật', None, None, None, None, None, None, 'Thực hiện dân chủ ở cơ sở'),
      C('Nghị định', '59/2023/NĐ-CP', '59', 2023, 'NĐ-CP', None, None, None)]),
    ('Căn cứ Quyết định số 1418/QĐ-BNV ngày 30/12/2024 của Bộ trưởng Bộ Nội vụ về việc công bố thủ tục hành chính;',
     [C('Quyết định', '1418/QĐ-BNV', '1418', None, 'QĐ-BNV', '2024-12-30', 'Bộ trưởng Bộ Nội vụ', 'công bố thủ tục hành chính')]),
    ('Căn cứ Kết luận số 120-KL/TW ngày 20 tháng 01 năm 2025 của Bộ Chính trị, Ban Bí thư về tiếp tục đẩy mạnh thực hiện Chỉ thị số 30-CT/TW;',
     [C('Kết luận', '120-KL/TW', '120', None, 'KL/TW', '2025-01-20', 'Bộ Chính trị, Ban Bí thư', 'tiếp tục đẩy mạnh thực hiện Chỉ thị số 30-CT/TW')]),
    ('Căn cứ Quyết định số …/QĐ-UBND ngày … tháng … năm 2024 của UBND xã về việc thành lập Ban Thanh tra nhân dân;',
     [C('Quyết định', '/QĐ-UBND', None, None, 'QĐ-UBND', None, 'UBND xã', 'thành lập Ban Thanh tra nhân dân')]),
]

CASES = SEED + REAL + BUILT


def _top(text):
    return [{k: v for k, v in c.to_dict().items() if k != "nested"} for c in parse_citations(text)]


@pytest.mark.parametrize("text,expected", CASES, ids=[f"case{i:02d}" for i in range(len(CASES))])
def test_top_level_citations(text, expected):
    assert _top(text) == expected


def _walk(cits):
    for c in cits:
        yield c
        yield from _walk(c.nested)


@pytest.mark.parametrize("text", [t for t, _ in CASES], ids=[f"case{i:02d}" for i in range(len(CASES))])
def test_spans_start_at_kind_word(text):
    cits = parse_citations(text)
    for a, b in zip(cits, cits[1:]):
        assert a.end <= b.start
    for c in _walk(cits):
        assert 0 <= c.start < c.end <= len(text)
        span = text[c.start:c.end]
        abbr = span.split()[0]
        assert span.lower().startswith(c.kind.lower()) or ABBREVIATIONS.get(abbr) == c.kind, span
        for n in c.nested:
            assert c.start < n.start and n.end <= c.end


def _nested(text, i=0):
    return [(n.kind, n.reference, n.date, n.issuer, n.title) for n in parse_citations(text)[i].nested]


def test_law_named_in_decree_title_is_nested():
    text = SEED[1][0]
    assert _nested(text) == [("Luật", None, None, None, "Thực hiện dân chủ ở cơ sở")]


def test_plan_nests_the_resolution_it_implements():
    text = SEED[4][0]
    assert _nested(text, 0) == [("Luật", None, None, None, "Thực hiện dân chủ ở cơ sở")]
    assert _nested(text, 1) == [("Nghị quyết", "179/NQ-HĐND", "2023-12-08", "HĐND tỉnh",
                                 "các biện pháp thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Quảng Ninh")]


def test_numberless_plan_in_decision_title_is_not_a_citation():
    # "ban hành Kế hoạch triển khai …" names the plan being issued, not an instrument cited
    assert _nested(SEED[2][0]) == [("Luật", None, None, None, "Thực hiện dân chủ ở cơ sở")]


def test_amending_instruments_are_cited_in_their_own_right():
    # the document relies on the amended text, so the amending law is a basis too (and is
    # what a registry lookup must see); it is not a mention inside the base law's title
    text = ("Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13 "
            "đã được sửa đổi, bổ sung một số điều thao Luật số 83/2025/QH15;")
    assert [c.reference for c in parse_citations(text)] == ["85/2015/QH13", "83/2025/QH15"]
    assert _nested(text) == []
    text = ("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam đã được sửa đổi, bổ sung một số "
            "điều theo Nghị quyết số 203/2025/QH15;")
    assert [(c.kind, c.reference) for c in parse_citations(text)] == [
        ("Hiến pháp", None), ("Nghị quyết", "203/2025/QH15")]


def test_laws_joined_inside_an_amending_law_title():
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
            "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 "
            "năm 2019;")
    assert [n[4] for n in _nested(text, 1)] == ["Tổ chức Chính phủ", "Tổ chức chính quyền địa phương"]


JUNK = [
    "", " ", ";;;", "Căn cứ", "Căn cứ;", "Thực hiện", "số 59/2023/NĐ-CP", "NĐ-CP", "ngày 14/8/2023 của Chính phủ",
    "Thực hiện quy trình 3 bước sau:",
    "Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI",
    "Thực hiện theo lộ trình tại phần (II) của Kế hoạch này.",
    "Căn cứ Kế hoạch này, chủ tham mưu, phối hợp thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI.",
    "Căn cứ hướng dẫn này, đề nghị Thủ trưởng các cơ quan, đơn vị và Trưởng Ban Công tác Mặt trận các thôn "
    "nghiêm túc triển khai thực hiện, bảo đảm đúng quy định của pháp luật và tiến độ thời gian./.",
    "Căn cứ vào cơ cấu tổ chức của Ủy ban MTTQ Việt Nam xã Lương Minh gồm Ban Thường trực (Chủ tịch, các Phó "
    "Chủ tịch) và các chuyên viên phụ trách lĩnh vực, việc phân công nhiệm vụ thực hiện công tác bầu cử được "
    "triển khai như sau:",
    "Căn cứ các quy định của pháp luật hiện hành;",
    "Căn cứ quyết định của cấp có thẩm quyền, người đứng đầu cơ quan, tổ chức, đơn vị báo cáo cấp ủy cùng cấp.",
    "Căn cứ Luật sư Nguyễn Văn A",
    "Theo đề nghị của Trưởng phòng Nội vụ.",
    "Ủy ban nhân dân xã tổ chức hội nghị vào ngày 14/8/2023 tại hội trường thôn.",
    "Đảng viên vi phạm kỷ luật phải kiểm điểm trước chi bộ.",
]


@pytest.mark.parametrize("text", JUNK)
def test_nothing_cited(text):
    assert parse_citations(text) == []


def test_never_raises_on_noise():
    vocab = " ".join(t for t, _ in CASES).split() + list(";,./-:()…") + ["số", "ngày", "của", "và", "NĐ", "15/"]
    rnd = random.Random(0)
    for _ in range(3000):
        text = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(0, 30)))
        if rnd.random() < 0.3:
            text = "".join(rnd.choice(text + "Đđ/-;,.0123456789 ") for _ in text)
        for c in _walk(parse_citations(text)):
            assert 0 <= c.start < c.end <= len(text)
    for text, _ in CASES[:20]:  # every prefix / suffix cut of real clauses
        for i in range(0, len(text), 5):
            parse_citations(text[:i])
            parse_citations(text[i:])
    assert parse_citations(None) == []  # type: ignore[arg-type]
