#pragma once
// What every target does with libFuzzer's bytes: reads them as text, derives a stable
// fingerprint from them (so choices a target makes are reproducible from the input alone),
// and cuts them into chunks as reads from a socket or a pipe would.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace cxpm::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// FNV-1a: any change to the input changes the choices derived from it.
inline std::uint64_t fingerprint(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// Pieces of 1 to 16 bytes (and sometimes a long one), sizes drawn from `seed`.
inline std::vector<std::string_view> chunks_of(std::string_view text, std::uint64_t seed) {
  std::vector<std::string_view> chunks;
  while (!text.empty()) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const std::size_t wanted = (seed >> 60) == 0 ? 256 : 1 + ((seed >> 33) % 16);
    const std::size_t size = wanted < text.size() ? wanted : text.size();
    chunks.push_back(text.substr(0, size));
    text.remove_prefix(size);
  }
  return chunks;
}

// A broken invariant is a finding like a crash: libFuzzer saves the input on abort.
[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

}  // namespace cxpm::fuzz
