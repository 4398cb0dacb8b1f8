# embed_text.cmake — a text file as a C array: cmake -DIN=file -DOUT=file.c -P embed_text.cmake
# defines kc_scalar_text (the bytes, NUL-terminated) and kc_scalar_len (without the NUL).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp "/* generated from ${IN} by tools/embed_text.cmake */\n#include <stddef.h>\nconst char kc_scalar_text[] = {\n${bytes}0};\nconst size_t kc_scalar_len = ${len};\n")
file(RENAME ${OUT}.tmp ${OUT})
