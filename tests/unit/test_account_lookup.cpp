// Account lookups by hash: ids of up to AccountTable::kInlineIdBytes bytes are compared inside the hash
// table's slot, longer ones through the id strings. Both must find exactly the ids the file has, and
// nothing else: not a prefix, not an extension, not the same bytes at another length.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "ledger/accounts.hpp"

namespace ledger {
namespace {

// Ids of every length from 1 to kMaxIdBytes, all starting with the same letters so that ids of
// neighbouring lengths share their first 16 bytes; none is a canonical integer, so the hash index is used.
std::vector<std::string> ids_of_every_length() {
    const std::string stem = "q0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_";
    std::vector<std::string> ids;
    for (size_t n = 1; n <= kMaxIdBytes; ++n) ids.push_back(stem.substr(0, n));
    return ids;
}

AccountTable table_of(const std::vector<std::string>& ids) {
    std::string text = "accountNumber,country,balance\n";
    for (const std::string& id : ids) text += id + ",C,1\n";
    BadRowSink bad(BadRowPolicy::fail);
    return read_accounts(text, "accounts.csv", bad);
}

TEST(AccountLookup, HashedIdsAreFoundAtEveryLength) {
    const std::vector<std::string> ids = ids_of_every_length();
    const AccountTable table = table_of(ids);
    ASSERT_TRUE(table.slot_by_number.empty());
    ASSERT_FALSE(table.slot_by_hash.empty());
    for (uint32_t a = 0; a < ids.size(); ++a) {
        SCOPED_TRACE(ids[a]);
        ASSERT_EQ(table.find(ids[a]), a);
        EXPECT_EQ(table.find_hashed(ids[a], AccountTable::hash_id(ids[a])).index, a);
    }
}

TEST(AccountLookup, NearMissesAreNotFound) {
    // Only the odd lengths are accounts: every even-length prefix of them is a near miss.
    std::vector<std::string> ids;
    for (const std::string& id : ids_of_every_length())
        if (id.size() % 2 == 1) ids.push_back(id);
    const AccountTable table = table_of(ids);
    for (const std::string& id : ids_of_every_length()) {
        SCOPED_TRACE(id);
        EXPECT_EQ(table.find(id).has_value(), id.size() % 2 == 1);
    }
    for (const std::string& id : ids) {
        SCOPED_TRACE(id);
        EXPECT_FALSE(table.find(id + "x").has_value());
        EXPECT_FALSE(table.find(id + std::string(1, '\0')).has_value());  // same bytes, padded as the slot is
        std::string changed = id;
        changed.back() = changed.back() == 'Z' ? 'Y' : 'Z';
        EXPECT_FALSE(table.find(changed).has_value());
    }
    EXPECT_FALSE(table.find("").has_value());
    EXPECT_FALSE(table.find(std::string_view{}).has_value());  // a null data pointer
    EXPECT_FALSE(table.find(std::string(300, 'q')).has_value());
}

// A different id whose hash equals an account's (forged here: real collisions are too rare to find)
// must still not be taken for it: the bytes decide, inline for short ids and through `ids` for long ones.
TEST(AccountLookup, EqualHashesAreNotEnough) {
    for (const auto& [account, other] : std::vector<std::pair<std::string, std::string>>{
             {"abcdefgh-12345", "abcdefgh-12346"},                  // short: differ in the second word
             {"abcdefgh-1", "abcdefgX-1"},                          // short: differ in the first word
             {"a-long-account-id-0001", "a-long-account-id-0002"},  // compared through ids
         }) {
        SCOPED_TRACE(account + " / " + other);
        AccountTable table = table_of({account});
        const uint64_t forged = AccountTable::hash_id(other);
        const uint64_t real = AccountTable::hash_id(account);
        ASSERT_EQ(forged >> 56, real >> 56);  // same length, so only the bytes can tell them apart
        for (AccountTable::HashedSlot& entry : table.slot_by_hash) {
            if (entry.slot.index != 0) continue;
            entry.hash = forged;
            // Move the entry to where `other` probes first, so the probe meets it.
            AccountTable::HashedSlot moved = entry;
            entry.slot.index = AccountTable::kNoAccount;
            table.slot_by_hash[forged & (table.slot_by_hash.size() - 1)] = moved;
            break;
        }
        EXPECT_EQ(table.find_hashed(other, forged).index, AccountTable::kNoAccount);
        EXPECT_EQ(table.find_hashed(account, forged).index, 0u);  // the forged slot still holds `account`
    }
}

TEST(AccountLookup, ManyShortIdsWithCollidingSlots) {
    // Enough ids that probes run past occupied slots of other ids.
    std::vector<std::string> ids;
    for (int i = 0; i < 5000; ++i) ids.push_back("acc-" + std::to_string(i * 7919) + (i % 3 == 0 ? "-long-tail-x" : ""));
    const AccountTable table = table_of(ids);
    for (uint32_t a = 0; a < ids.size(); ++a) ASSERT_EQ(table.find(ids[a]), a) << ids[a];
    for (int i = 0; i < 5000; ++i) EXPECT_FALSE(table.find("acc-" + std::to_string(i * 7919 + 1) + "-").has_value());
}

}  // namespace
}  // namespace ledger
