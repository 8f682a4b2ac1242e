#pragma once
// Letting go of the pages of code a long-lived process no longer runs.
//
// The kernel maps a file's pages around each one a process faults in ("fault-around", 64 KiB
// at a time), so a process that runs a little code here and there across a large binary shows
// nearly all of it as resident: the daemon's start-up (parsing its files, setting itself up)
// touches code in almost every 64 KiB of cxpm's text. Those pages are the file's, clean, in
// the page cache whatever happens; dropping the process's mappings of them costs no I/O, and
// what it runs next is mapped again on first use.

namespace cxpm {

// Drops this process's mappings of every read-only segment (code, constants) of the program
// and of its libraries. Never a writable segment, nor anything in an object whose text was
// relocated, nor while a debugger is attached (its breakpoints live in those pages).
void release_code_pages();

}  // namespace cxpm
