# embed_text.cmake — a text file as a C array: cmake -DIN=file -DOUT=file.c -DNAME=kc_x -P embed_text.cmake
# defines NAME_text (the bytes, NUL-terminated) and NAME_len (without the NUL).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp "/* generated from ${IN} by tools/embed_text.cmake */\n#include <stddef.h>\nconst char ${NAME}_text[] = {\n${bytes}0};\nconst size_t ${NAME}_len = ${len};\n")
file(RENAME ${OUT}.tmp ${OUT})
