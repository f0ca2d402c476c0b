// The four scenario categories the job is accepted on, each as a tiny accounts/transactions CSV pair
// run through the whole core pipeline (core_pipeline.hpp), with the expected balances and rejected rows
// computed by hand and written out below:
//  1. happy path: one sender to several receivers; one sender drained until it cannot pay; several
//     senders to several receivers (rows given out of time order, so order matters);
//  2. insufficient funds: a zero balance; a balance below the amount, then a payable amount;
//  3. insufficient first, sufficient after incoming funds (also at one instant, where input order
//     decides);
//  4. cross-country transfers in both directions: balances unchanged, reasons recorded.
// Each expected file is the exact bytes a user would get (scale, quoting, order, LF line ends).
#include <gtest/gtest.h>

#include <string>

#include "core_pipeline.hpp"

namespace {

using ledger_test::run_core;

const std::string kTxHeader = "date,fromAccountNumber,transferAmount,toAccountNumber\n";
const std::string kBalHeader = "accountNumber,country,balance\n";
const std::string kRejHeader = std::string(ledger::kRejectedHeader);

// --- 1. happy path ---

TEST(ScenarioHappyPath, OneSenderToSeveralReceivers) {
    auto r = run_core(kBalHeader + "A,US,100\nB,US,0\nC,US,5.5\nD,US,10\n",
                      kTxHeader +
                          "2024-01-01,A,10,B\n"
                          "2024-01-02,A,20.25,C\n"
                          "2024-01-03,A,30,D\n");
    // A: 100 - 10 - 20.25 - 30 = 39.75; B: 10; C: 5.5 + 20.25 = 25.75; D: 10 + 30 = 40
    EXPECT_EQ(r.balances, kBalHeader + "A,US,39.75\nB,US,10.00\nC,US,25.75\nD,US,40.00\n");
    EXPECT_EQ(r.rejected, kRejHeader);
    EXPECT_EQ(r.totals.accepted, 3u);
    EXPECT_EQ(ledger_test::i128_str(r.totals.amount_moved), "6025");  // 60.25 at scale 2
    EXPECT_EQ(r.scale, 2);
}

TEST(ScenarioHappyPath, OneSenderDrainedUntilItCannotPay) {
    auto r = run_core(kBalHeader + "A,US,50\nB,US,0\n",
                      kTxHeader +
                          "2024-01-01T09:00,A,20,B\n"
                          "2024-01-01T10:00,A,20,B\n"
                          "2024-01-01T11:00,A,20,B\n"     // 10 left: refused
                          "2024-01-01T12:00,A,10,B\n"     // exactly 10 left: accepted
                          "2024-01-01T13:00,A,0.01,B\n");  // nothing left
    EXPECT_EQ(r.balances, kBalHeader + "A,US,0.00\nB,US,50.00\n");
    EXPECT_EQ(r.rejected, kRejHeader +
                              "2024-01-01T11:00,A,20,B,insufficient_funds\n"
                              "2024-01-01T13:00,A,0.01,B,insufficient_funds\n");
    EXPECT_EQ(r.totals.accepted, 3u);
    EXPECT_EQ(r.totals.rejected[size_t(ledger::Reason::insufficient_funds)], 2u);
}

TEST(ScenarioHappyPath, SeveralSendersToSeveralReceiversOutOfOrder) {
    // In time order: A->C 30, B->D 50, C->D 25 (C has 30 by then), A->D 20, B->C 70.
    auto r = run_core(kBalHeader + "A,US,100\nB,US,200\nC,US,0\nD,US,0\n",
                      kTxHeader +
                          "2024-03-03T12:00:00+02:00,C,25,D\n"  // 10:00Z on the 3rd; in file order C is empty
                          "2024-03-05,B,70,C\n"
                          "2024-03-01,A,30,C\n"
                          "2024-03-04,A,20,D\n"
                          "2024-03-02,B,50,D\n");
    // A: 100-30-20 = 50; B: 200-50-70 = 80; C: 30-25+70 = 75; D: 50+25+20 = 95
    EXPECT_EQ(r.balances, kBalHeader + "A,US,50\nB,US,80\nC,US,75\nD,US,95\n");
    EXPECT_EQ(r.rejected, kRejHeader);
    EXPECT_EQ(r.totals.accepted, 5u);
}

// --- 2. insufficient funds ---

TEST(ScenarioInsufficientFunds, ZeroBalance) {
    auto r = run_core(kBalHeader + "A,US,0\nB,US,10\n", kTxHeader + "2024-01-01,A,1,B\n");
    EXPECT_EQ(r.balances, kBalHeader + "A,US,0\nB,US,10\n");
    EXPECT_EQ(r.rejected, kRejHeader + "2024-01-01,A,1,B,insufficient_funds\n");
    EXPECT_EQ(r.totals.accepted, 0u);
}

TEST(ScenarioInsufficientFunds, BelowTheAmountThenPayable) {
    auto r = run_core(kBalHeader + "A,US,5\nB,US,0\n",
                      kTxHeader +
                          "2024-01-01,A,6,B\n"
                          "2024-01-02,A,4.99,B\n");
    EXPECT_EQ(r.balances, kBalHeader + "A,US,0.01\nB,US,4.99\n");
    EXPECT_EQ(r.rejected, kRejHeader + "2024-01-01,A,6,B,insufficient_funds\n");
}

// --- 3. insufficient first, sufficient after incoming funds ---

TEST(ScenarioFundsArriveLater, RefusedThenAcceptedAfterIncoming) {
    auto r = run_core(kBalHeader + "A,US,0\nB,US,100\nC,US,0\n",
                      kTxHeader +
                          "2024-01-01T12:00:00Z,A,50,C\n"   // after B's payment: accepted
                          "2024-01-01T11:00:00Z,B,60,A\n"
                          "2024-01-01T10:00:00Z,A,50,C\n");  // before: refused
    // A: 0 + 60 - 50 = 10; B: 40; C: 50
    EXPECT_EQ(r.balances, kBalHeader + "A,US,10\nB,US,40\nC,US,50\n");
    EXPECT_EQ(r.rejected, kRejHeader + "2024-01-01T10:00:00Z,A,50,C,insufficient_funds\n");
}

TEST(ScenarioFundsArriveLater, SameInstantInputOrderDecides) {
    const std::string accounts = kBalHeader + "A,US,0\nB,US,100\nC,US,0\n";
    // Same instant written two ways; B->A comes first in the file, so A can pay.
    auto paid = run_core(accounts, kTxHeader +
                                       "2024-01-01T11:00:00+01:00,B,60,A\n"
                                       "2024-01-01T10:00:00Z,A,50,C\n");
    EXPECT_EQ(paid.balances, kBalHeader + "A,US,10\nB,US,40\nC,US,50\n");
    EXPECT_EQ(paid.rejected, kRejHeader);
    // The other way round A pays first and cannot.
    auto refused = run_core(accounts, kTxHeader +
                                          "2024-01-01T10:00:00Z,A,50,C\n"
                                          "2024-01-01T11:00:00+01:00,B,60,A\n");
    EXPECT_EQ(refused.balances, kBalHeader + "A,US,60\nB,US,40\nC,US,0\n");
    EXPECT_EQ(refused.rejected, kRejHeader + "2024-01-01T10:00:00Z,A,50,C,insufficient_funds\n");
}

TEST(ScenarioFundsArriveLater, AcrossTwoTransactionsFiles) {
    // Equal instants: file order before line order. The payment in the first file comes first.
    auto r = run_core(kBalHeader + "A,US,0\nB,US,100\nC,US,0\n",
                      std::vector<std::string>{kTxHeader + "2024-01-01,B,60,A\n",
                                               "toAccountNumber,transferAmount,fromAccountNumber,date\n"
                                               "C,50,A,2024-01-01\n"
                                               "C,20,A,2023-12-31\n"});
    EXPECT_EQ(r.balances, kBalHeader + "A,US,10\nB,US,40\nC,US,50\n");
    EXPECT_EQ(r.rejected, kRejHeader + "2023-12-31,A,20,C,insufficient_funds\n");
}

// --- 4. cross-country ---

TEST(ScenarioCrossCountry, BothDirectionsRefusedBalancesUnchanged) {
    auto r = run_core(kBalHeader + "A,US,100\nB,DE,50\n",
                      kTxHeader +
                          "2024-01-01,A,10,B\n"
                          "2024-01-02,B,5,A\n");
    EXPECT_EQ(r.balances, kBalHeader + "A,US,100\nB,DE,50\n");
    EXPECT_EQ(r.rejected, kRejHeader +
                              "2024-01-01,A,10,B,cross_country\n"
                              "2024-01-02,B,5,A,cross_country\n");
    EXPECT_EQ(r.totals.rejected[size_t(ledger::Reason::cross_country)], 2u);
    EXPECT_EQ(r.totals.accepted, 0u);
}

TEST(ScenarioCrossCountry, MixedWithDomesticTransfers) {
    // Cross-country is refused even when the sender could pay; domestic traffic goes on around it.
    auto r = run_core(kBalHeader + "us1,US,100\nde1,DE,100\nus2,US,0\nde2,DE,0\n",
                      kTxHeader +
                          "2024-01-01,us1,40,us2\n"
                          "2024-01-02,us1,40,de2\n"
                          "2024-01-03,de1,30,de2\n"
                          "2024-01-04,de2,10,us2\n"
                          "2024-01-05,us2,40,us1\n");
    EXPECT_EQ(r.balances, kBalHeader + "us1,US,100\nde1,DE,70\nus2,US,0\nde2,DE,30\n");
    EXPECT_EQ(r.rejected, kRejHeader +
                              "2024-01-02,us1,40,de2,cross_country\n"
                              "2024-01-04,de2,10,us2,cross_country\n");
}

TEST(ScenarioCrossCountry, QuotedCountriesAndIdsRoundTrip) {
    // Ids and countries needing quotes come back quoted; the output reads as tomorrow's input.
    auto r = run_core(kBalHeader + "\"a,1\",\"X,Y\",10\n\"b\"\"2\",\"X,Y\",0\nc3,Z,0\n",
                      kTxHeader +
                          "2024-01-01,\"a,1\",4,\"b\"\"2\"\n"
                          "2024-01-02,\"a,1\",1,c3\n");
    EXPECT_EQ(r.balances, kBalHeader + "\"a,1\",\"X,Y\",6\n\"b\"\"2\",\"X,Y\",4\nc3,Z,0\n");
    EXPECT_EQ(r.rejected, kRejHeader + "2024-01-02,\"a,1\",1,c3,cross_country\n");
    auto again = run_core(r.balances, kTxHeader);
    EXPECT_EQ(again.balances, r.balances);
}

}  // namespace
