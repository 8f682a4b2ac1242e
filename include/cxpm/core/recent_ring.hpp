#pragma once
// The last N items pushed, oldest first: an instance's recent events. Storage grows with
// the items actually kept (an instance with one event holds one), never past N; once full,
// each push overwrites the oldest. A std::deque would cost a 512-byte block even for one.

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace cxpm {

template <typename T, std::size_t N>
class RecentRing {
  static_assert(N > 0, "a ring keeps at least one item");

 public:
  static constexpr std::size_t kCapacity = N;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator() = default;
    const_iterator(const RecentRing* ring, std::size_t position)
        : ring_(ring), position_(position) {}

    reference operator*() const { return ring_->at(position_); }
    pointer operator->() const { return &ring_->at(position_); }
    const_iterator& operator++() {
      ++position_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++position_;
      return before;
    }
    bool operator==(const const_iterator& other) const { return position_ == other.position_; }

   private:
    const RecentRing* ring_ = nullptr;
    std::size_t position_ = 0;  // 0 is the oldest
  };

  RecentRing() = default;
  // Keeps the last N of `items` (oldest first).
  static RecentRing from(std::vector<T> items) {
    RecentRing ring;
    for (auto& item : items) ring.push(std::move(item));
    return ring;
  }

  void push(T item) {
    if (items_.size() < N) {
      if (items_.size() == items_.capacity()) {
        // Grows as a vector does, but never reserves beyond N.
        const std::size_t doubled = items_.empty() ? 1 : 2 * items_.size();
        items_.reserve(doubled < N ? doubled : N);
      }
      items_.push_back(std::move(item));
      return;
    }
    items_[oldest_] = std::move(item);
    oldest_ = (oldest_ + 1) % N;
  }

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  // The newest item; the ring must not be empty.
  const T& back() const { return at(items_.size() - 1); }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, items_.size()}; }

 private:
  const T& at(std::size_t position) const { return items_[(oldest_ + position) % items_.size()]; }

  std::vector<T> items_;
  std::size_t oldest_ = 0;  // where the oldest item is, once the ring is full
};

}  // namespace cxpm
