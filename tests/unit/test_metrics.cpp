// The Prometheus exposition (format_metrics) and the Pushgateway client (push_metrics).
// Exposition: every family has HELP and TYPE and appears once, names and types follow Prometheus
// conventions, label values are escaped, and a failed run says 0 and leaves out the last success
// timestamp (so alerts keep measuring from the last good run). When promtool is installed the text must
// also pass `promtool check metrics`, the same check the e2e test runs on the binary's output.
// Client: a one-shot HTTP server on loopback records what push_metrics sends (method, path, Content-Type,
// body) and answers with a chosen status, so the URL rules and the failure reporting are checked without
// a real gateway.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "ledger/metrics.hpp"
#include "sample_run_summary.hpp"

namespace ledger {
namespace {

// The shared sample, started a quarter second off so that the run's duration (2.25 s) is exact in binary.
RunSummary sample_summary() {
    RunSummary s = ledger_test::sample_summary();
    s.started_unix_seconds = 1'764'079'262.25;
    return s;
}

// The value of the sample whose name-and-labels text is exactly `series`, if there is one.
std::optional<std::string> sample_value(const std::string& text, const std::string& series) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
            return line.substr(series.size() + 1);
    }
    return std::nullopt;
}

std::string metric_name(const std::string& sample_line) { return sample_line.substr(0, sample_line.find_first_of("{ ")); }

std::map<std::string, std::string> types_of(const std::string& text) {
    std::map<std::string, std::string> types;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("# TYPE ", 0) != 0) continue;
        std::istringstream fields(line.substr(7));
        std::string name, type;
        fields >> name >> type;
        types[name] = type;
    }
    return types;
}

TEST(Metrics, EveryFamilyHasHelpAndTypeBeforeItsSamplesAndAppearsOnce) {
    const std::string text = format_metrics(sample_summary());
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    std::set<std::string> finished;
    std::string current, helped;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("# HELP ", 0) == 0) {
            if (!current.empty()) finished.insert(current);
            helped = line.substr(7, line.find(' ', 7) - 7);
            EXPECT_EQ(finished.count(helped), 0u) << "family announced twice: " << helped;
            continue;
        }
        if (line.rfind("# TYPE ", 0) == 0) {
            current = line.substr(7, line.find(' ', 7) - 7);
            EXPECT_EQ(current, helped) << "TYPE without its HELP just before it";
            continue;
        }
        EXPECT_EQ(metric_name(line), current) << "sample outside its family: " << line;
    }
}

TEST(Metrics, TypesFollowPrometheusConventions) {
    const auto types = types_of(format_metrics(sample_summary()));
    EXPECT_EQ(types.at("ledger_transfers_total"), "counter");
    EXPECT_EQ(types.at("ledger_bad_rows_total"), "counter");
    EXPECT_EQ(types.at("ledger_rank_bytes_sent_total"), "counter");
    EXPECT_EQ(types.at("ledger_stage_duration_seconds"), "gauge");
    EXPECT_EQ(types.at("ledger_last_run_success"), "gauge");
    EXPECT_EQ(types.at("ledger_last_success_timestamp_seconds"), "gauge");
    EXPECT_EQ(types.at("ledger_ranks"), "gauge");
    EXPECT_EQ(types.at("ledger_rank_peak_rss_bytes"), "gauge");
    EXPECT_EQ(types.at("ledger_rank_accounts_held"), "gauge");
    EXPECT_EQ(types.at("ledger_rank_input_parsed_bytes"), "gauge");
    EXPECT_EQ(types.at("ledger_rank_output_written_bytes"), "gauge");
    for (const auto& [name, type] : types) {
        const bool total = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
        EXPECT_EQ(type == "counter", total) << name << " is a " << type;
    }
}

TEST(Metrics, TransfersByResultNameEveryReason) {
    const std::string text = format_metrics(sample_summary());
    EXPECT_EQ(sample_value(text, R"(ledger_transfers_total{result="accepted"})"), "85");
    EXPECT_EQ(sample_value(text, R"(ledger_transfers_total{result="unknown_account"})"), "1");
    EXPECT_EQ(sample_value(text, R"(ledger_transfers_total{result="invalid_amount"})"), "2");
    EXPECT_EQ(sample_value(text, R"(ledger_transfers_total{result="same_account"})"), "3");
    EXPECT_EQ(sample_value(text, R"(ledger_transfers_total{result="cross_country"})"), "4");
    EXPECT_EQ(sample_value(text, R"(ledger_transfers_total{result="insufficient_funds"})"), "5");
    EXPECT_EQ(sample_value(text, "ledger_bad_rows_total"), "7");
    EXPECT_EQ(sample_value(text, "ledger_accounts"), "10");
    EXPECT_EQ(sample_value(text, "ledger_countries"), "3");
    EXPECT_EQ(sample_value(text, "ledger_input_bytes"), "4687");  // 120 + 4567, both inputs
}

TEST(Metrics, SuccessfulRunStampsItsSuccess) {
    const std::string text = format_metrics(sample_summary());
    EXPECT_EQ(sample_value(text, "ledger_last_run_success"), "1");
    EXPECT_EQ(sample_value(text, "ledger_last_run_timestamp_seconds"), "1764079264.5");
    EXPECT_EQ(sample_value(text, "ledger_last_success_timestamp_seconds"), "1764079264.5");
    EXPECT_EQ(sample_value(text, "ledger_run_duration_seconds"), "2.25");
}

TEST(Metrics, FailedRunLeavesTheLastSuccessTimestampOut) {
    RunSummary s = sample_summary();
    s.ok = false;
    s.exit_code = 4;
    const std::string text = format_metrics(s);
    EXPECT_EQ(sample_value(text, "ledger_last_run_success"), "0");
    EXPECT_EQ(sample_value(text, "ledger_last_run_timestamp_seconds"), "1764079264.5");
    EXPECT_EQ(text.find("ledger_last_success_timestamp_seconds"), std::string::npos);
}

TEST(Metrics, StagesAndRanksAreLabelled) {
    const std::string text = format_metrics(sample_summary());
    EXPECT_EQ(sample_value(text, R"(ledger_stage_duration_seconds{stage="read"})"), "0.25");
    EXPECT_EQ(sample_value(text, R"(ledger_stage_duration_seconds{stage="replay"})"), "1.5");
    EXPECT_EQ(sample_value(text, "ledger_ranks"), "2");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_peak_rss_bytes{rank="1"})"), "40000000");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_bytes_sent_total{rank="1"})"), "3000");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_bytes_received_total{rank="0"})"), "2000");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_countries{rank="0"})"), "2");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_transfers{rank="1"})"), "40");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_accounts_held{rank="0"})"), "500");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_input_parsed_bytes{rank="1"})"), "60000");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_output_written_bytes{rank="0"})"), "9000");
    EXPECT_EQ(sample_value(text, R"(ledger_rank_stage_duration_seconds{rank="1",stage="replay"})"), "0.75");
}

TEST(Metrics, SecondsDropTheFloatNoiseOfSummedTimers) {
    RunSummary s = sample_summary();
    s.stages_seconds = {{"read", 0.0015811050000000002}};
    EXPECT_EQ(sample_value(format_metrics(s), R"(ledger_stage_duration_seconds{stage="read"})"), "0.001581");
}

TEST(Metrics, LabelValuesAreEscaped) {
    RunSummary s = sample_summary();
    s.stages_seconds = {{"a\"b\\c\nd", 1.0}};
    const std::string text = format_metrics(s);
    EXPECT_EQ(sample_value(text, R"(ledger_stage_duration_seconds{stage="a\"b\\c\nd"})"), "1");
}

TEST(Metrics, NoRanksMeansNoEmptyRankFamilies) {
    RunSummary s = sample_summary();
    s.ranks.clear();
    s.stages_seconds.clear();
    const std::string text = format_metrics(s);
    EXPECT_EQ(sample_value(text, "ledger_ranks"), "0");
    EXPECT_EQ(text.find("ledger_rank_peak_rss_bytes"), std::string::npos);
    EXPECT_EQ(text.find("ledger_stage_duration_seconds"), std::string::npos);
}

TEST(Metrics, PassesPromtoolCheckMetrics) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0) GTEST_SKIP() << "promtool not installed";
    for (bool ok : {true, false}) {
        RunSummary s = sample_summary();
        s.ok = ok;
        const std::string path = ::testing::TempDir() + "ledger_metrics_check.prom";
        std::ofstream(path) << format_metrics(s);
        const std::string command = "promtool check metrics < '" + path + "'";
        EXPECT_EQ(std::system(command.c_str()), 0) << command << " (ok=" << ok << ")";
        std::remove(path.c_str());
    }
}

// ---- push_metrics against a one-shot loopback HTTP server ----

struct Request {
    std::string method, target, headers, body;
};

class OneShotServer {
public:
    OneShotServer(int status, std::string response_body) : status_(status), response_body_(std::move(response_body)) {
        listener_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;  // any free port
        socklen_t length = sizeof address;
        if (bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(listener_, 1) != 0 ||
            getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            ADD_FAILURE() << "cannot listen on loopback";
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~OneShotServer() {
        if (thread_.joinable()) thread_.join();
        close(listener_);
    }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    Request wait() {
        thread_.join();
        return request_;
    }

private:
    void serve() {
        pollfd waiting{listener_, POLLIN, 0};
        if (poll(&waiting, 1, 15'000) != 1) return;  // no client: the test's own assertions then fail
        const int client = accept(listener_, nullptr, nullptr);
        if (client < 0) return;
        std::string data;
        char buffer[4096];
        size_t header_end = std::string::npos;
        size_t content_length = 0;
        while (true) {
            if (header_end == std::string::npos && (header_end = data.find("\r\n\r\n")) != std::string::npos) {
                request_.headers = data.substr(0, header_end);
                content_length = content_length_of(request_.headers);
            }
            if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
            const ssize_t n = recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            data.append(buffer, size_t(n));
        }
        if (header_end != std::string::npos) {
            std::istringstream first_line(request_.headers.substr(0, request_.headers.find("\r\n")));
            first_line >> request_.method >> request_.target;
            request_.body = data.substr(header_end + 4);
        }
        const std::string reply = "HTTP/1.1 " + std::to_string(status_) + " Status\r\nContent-Length: " +
                                  std::to_string(response_body_.size()) + "\r\nConnection: close\r\n\r\n" +
                                  response_body_;
        (void)send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
        close(client);
    }

    static size_t content_length_of(const std::string& headers) {
        std::string lower = headers;
        for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
        const size_t at = lower.find("\r\ncontent-length:");
        return at == std::string::npos ? 0 : std::strtoul(lower.c_str() + at + 17, nullptr, 10);
    }

    int status_;
    std::string response_body_;
    int listener_ = -1;
    int port_ = 0;
    std::thread thread_;
    Request request_;
};

TEST(PushMetrics, PostsTheBodyToTheJobAndInstanceGroup) {
    OneShotServer server(200, "");
    std::string error;
    const std::string body = format_metrics(sample_summary());
    EXPECT_TRUE(push_metrics(server.base_url() + "/", "node 1", body, &error)) << error;
    const Request request = server.wait();
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/metrics/job/ledger/instance/node%201");
    EXPECT_NE(request.headers.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << request.headers;
    EXPECT_EQ(request.body, body);
}

TEST(PushMetrics, AnInstanceWithASlashGoesBase64Encoded) {
    OneShotServer server(202, "");
    std::string error;
    EXPECT_TRUE(push_metrics(server.base_url(), "a/b", "x 1\n", &error)) << error;
    EXPECT_EQ(server.wait().target, "/metrics/job/ledger/instance@base64/YS9i");
}

TEST(PushMetrics, ANon2xxAnswerIsAFailureNamingTheStatus) {
    OneShotServer server(400, "text format parsing error\n");
    std::string error;
    EXPECT_FALSE(push_metrics(server.base_url(), "n", "x 1\n", &error));
    server.wait();
    EXPECT_NE(error.find("HTTP 400"), std::string::npos) << error;
    EXPECT_NE(error.find("text format parsing error"), std::string::npos) << error;
}

TEST(PushMetrics, AnUnreachableGatewayIsAFailureNotAHang) {
    // A port that was free a moment ago and has no listener now.
    const int probe = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), length), 0);
    ASSERT_EQ(getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
    close(probe);
    std::string error;
    EXPECT_FALSE(push_metrics("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)), "n", "x 1\n", &error));
    EXPECT_NE(error.find("127.0.0.1"), std::string::npos) << error;
}

TEST(PushMetrics, CredentialsInTheUrlStayOutOfTheMessage) {
    OneShotServer server(500, "");
    std::string error;
    const std::string url = "http://user:secret@" + server.base_url().substr(7);
    EXPECT_FALSE(push_metrics(url, "n", "x 1\n", &error));
    server.wait();
    EXPECT_NE(error.find("HTTP 500"), std::string::npos) << error;
    EXPECT_EQ(error.find("secret"), std::string::npos) << error;
}

}  // namespace
}  // namespace ledger
