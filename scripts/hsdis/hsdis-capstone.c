/* A minimal HotSpot disassembler plugin on capstone (x86-64), for -XX:+PrintAssembly and JMH -prof perfasm.
 * JDK 25 looks up decode_instructions_virtual; Debian's libhsdis0-fcml only has the old entry point.
 * Build: scripts/hsdis/build.sh (needs gcc and libcapstone-dev); use: LD_LIBRARY_PATH=target/hsdis java ... */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdint.h>
#include <stddef.h>
typedef void* (*event_callback_t)(void*, const char*, void*);
typedef int (*printf_callback_t)(void*, const char*, ...);
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
    event_callback_t event_callback, void* event_stream, printf_callback_t printf_callback, void* printf_stream,
    const char* options, int newline) {
  csh h; cs_insn* insn;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) return NULL;
  size_t count = cs_disasm(h, buffer, length, (uintptr_t) buffer, 0, &insn);
  for (size_t j = 0; j < count; j++) {
    (*event_callback)(event_stream, "insn", (void*) insn[j].address);
    (*printf_callback)(printf_stream, "%s\t%s", insn[j].mnemonic, insn[j].op_str);
    (*event_callback)(event_stream, "/insn", (void*) (insn[j].address + insn[j].size));
    if (newline) (*printf_callback)(printf_stream, "\n");
  }
  if (count > 0) cs_free(insn, count);
  cs_close(&h);
  return NULL;
}
