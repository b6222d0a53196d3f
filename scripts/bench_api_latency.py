"""Measure search latency as a browser sees it: HTTP requests to a running `vankien serve`.

Usage: python scripts/bench_api_latency.py --index DIR [--queries N] [--port P]

Starts the real server (waitress) on the index, warms it with one query, then sends N
different queries to /api/search one after another over loopback and reports the median,
p95 and max of the wall time per request, and the median `took_ms` the server reports.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

QUERIES = """nhiệm vụ chuyển đổi số; sắp xếp đơn vị hành chính cấp xã; phí cấp chứng chỉ hành nghề
môi giới bất động sản; kế hoạch phòng chống thiên tai; thủ tục hành chính thuộc phạm vi quản lý
của Sở Nội vụ; chính sách hỗ trợ doanh nghiệp nhỏ và vừa; bảo vệ môi trường; giải quyết khiếu nại
tố cáo; xây dựng nông thôn mới; phát triển khoa học công nghệ và đổi mới sáng tạo; quy hoạch sử
dụng đất; đầu tư công trung hạn; an toàn thông tin mạng; công tác cán bộ; kiểm tra giám sát của
Đảng; phòng chống tham nhũng lãng phí; giáo dục phổ thông; bảo hiểm y tế cho người nghèo; giá đất;
ngân sách nhà nước năm 2026; chính quyền địa phương hai cấp; hội đồng nhân dân tỉnh; ủy ban nhân
dân thành phố Hồ Chí Minh; bảo tồn di sản văn hóa; phát triển du lịch; chăn nuôi gia súc; dịch
bệnh; trồng rừng; giao thông nông thôn; cấp nước sạch; xử lý rác thải; phòng cháy chữa cháy;
quốc phòng an ninh; biên chế công chức; tinh gọn bộ máy; học bổng sinh viên; nhà ở xã hội;
khu công nghiệp; xuất khẩu nông sản; thuế giá trị gia tăng; hóa đơn điện tử; dịch vụ công trực
tuyến; dữ liệu dân cư; căn cước công dân; thi đua khen thưởng; người có công với cách mạng; trẻ
em; bình đẳng giới; dân tộc thiểu số; tôn giáo""".replace("\n", " ")


def queries(count: int) -> list[str]:
    """`count` different queries: the list above, then again with suffixes."""
    base = [q.strip() for q in QUERIES.split(";") if q.strip()]
    suffixes = ["", " năm 2025", " của tỉnh", " theo quy định"]
    return [base[i % len(base)] + suffixes[(i // len(base)) % len(suffixes)] for i in range(count)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_server(index: Path, texts: list[str], port: int = 0) -> dict:
    """Serve `index`, send `texts` one after another; wall and server times, peak RSS."""
    port = port or free_port()
    server = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--index",
                               str(index), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                health = get(base + "/api/health")
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("server did not start")
        get(base + "/api/search?q=" + urllib.parse.quote("khởi động"))
        walls, took = [], []
        for query in texts:
            started = time.perf_counter()
            data = get(f"{base}/api/search?k=10&q={urllib.parse.quote(query)}")
            walls.append((time.perf_counter() - started) * 1000)
            took.append(data["took_ms"])
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()
    walls.sort()
    return {"health": health, "median": statistics.median(walls),
            "p95": walls[int(len(walls) * 0.95) - 1], "max": walls[-1],
            "server_median": statistics.median(took), "peak_rss_mb": rss}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    r = measure_server(args.index, queries(args.queries), args.port)
    health = r["health"]
    print(f"index: {health['documents']} documents, {health['chunks']} chunks, "
          f"{health['embedder']}")
    print(f"{args.queries} queries over HTTP: median {r['median']:.1f} ms, "
          f"p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms; "
          f"server-side median {r['server_median']:.1f} ms; server peak RSS "
          f"{r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
