#include "cxpm/sys/code_pages.hpp"

#include <elf.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace cxpm {
namespace {

// A debugger's breakpoints are written into private copies of code pages: dropping those
// would take the breakpoints away.
bool traced() {
  std::FILE* status = std::fopen("/proc/self/status", "re");
  if (!status) return true;  // cannot tell: leave the pages alone
  char line[256];
  long tracer = 0;
  while (std::fgets(line, sizeof line, status)) {
    if (std::sscanf(line, "TracerPid: %ld", &tracer) == 1) break;
  }
  std::fclose(status);
  return tracer != 0;
}

// Text relocations make private, modified copies of code pages: dropping them would bring
// back the file's unrelocated bytes.
bool has_text_relocations(const dl_phdr_info& object) {
  for (int i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = object.dlpi_phdr[i];
    if (segment.p_type != PT_DYNAMIC) continue;
    const auto* entry = reinterpret_cast<const ElfW(Dyn)*>(object.dlpi_addr + segment.p_vaddr);
    for (; entry->d_tag != DT_NULL; ++entry) {
      if (entry->d_tag == DT_TEXTREL) return true;
      if (entry->d_tag == DT_FLAGS && (entry->d_un.d_val & DF_TEXTREL)) return true;
    }
  }
  return false;
}

int release_object(dl_phdr_info* object, std::size_t, void*) {
  // The vDSO is the kernel's own mapping, not a file's.
  if (std::strstr(object->dlpi_name, "linux-vdso") || has_text_relocations(*object)) return 0;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  for (int i = 0; i < object->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = object->dlpi_phdr[i];
    if (segment.p_type != PT_LOAD || (segment.p_flags & PF_W)) continue;
    // Whole pages inside the segment only: an edge page may be shared with a writable one.
    const std::uintptr_t begin = (object->dlpi_addr + segment.p_vaddr + page - 1) & ~(page - 1);
    const std::uintptr_t end =
        (object->dlpi_addr + segment.p_vaddr + segment.p_filesz) & ~(page - 1);
    if (end <= begin) continue;
    // Best effort: a range the kernel refuses stays mapped, nothing worse.
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
  }
  return 0;
}

}  // namespace

void release_code_pages() {
  if (!traced()) ::dl_iterate_phdr(release_object, nullptr);
}

}  // namespace cxpm
