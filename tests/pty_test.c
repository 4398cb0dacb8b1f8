/*
 * pty_test.c — drives the interactive kiln REPL through a pseudo-terminal, as a person would:
 * prompts, a failing statement that changes nothing, the caret under an error, tab completion,
 * :quit, and the history file left behind.
 *
 *     pty_test /path/to/kiln
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int master;
static char screen[1 << 16];
static size_t seen;

/* Reads until want appears after position `from` or 10 s pass. */
static int wait_for(const char *want, size_t from) {
    for (int waited = 0; waited < 10000;) {
        screen[seen] = 0;
        if (strstr(screen + from, want)) return 1;
        struct pollfd p = {master, POLLIN, 0};
        int r = poll(&p, 1, 100);
        waited += 100;
        if (r > 0) {
            ssize_t n = read(master, screen + seen, sizeof screen - seen - 1);
            if (n <= 0) break;
            seen += (size_t)n;
        }
    }
    screen[seen] = 0;
    return strstr(screen + from, want) != NULL;
}

static int failures, checks;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    checks++;
    if (!ok) failures++;
}

static size_t type(const char *keys) {
    size_t mark = seen;
    if (write(master, keys, strlen(keys)) < 0) perror("write");
    return mark;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char home[] = "/tmp/kiln-pty-XXXXXX";
    if (!mkdtemp(home)) return 2;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    if (pid < 0) {
        perror("forkpty");
        return 2;
    }
    if (pid == 0) {
        setenv("HOME", home, 1);
        setenv("TERM", "dumb", 1);
        execl(argv[1], argv[1], (char *)NULL);
        _exit(127);
    }
    check(wait_for("kiln> ", 0), "the prompt appears");
    size_t m = type("a = arange(3)\r");
    check(wait_for("kiln> ", m + 1), "an assignment returns to the prompt");
    m = type("a = a + nope\r");
    check(wait_for("error: name 'nope' is not defined", m), "a failing statement reports its error");
    check(strstr(screen + m, "  a = a + nope\r\n") && strstr(screen + m, "          ^"), "with the line and a caret under 'nope'");
    m = type("a\r");
    check(wait_for("array([0, 1, 2])", m), "and changed nothing bound before it");
    m = type("lins\t(0, 1, 3)\r");
    check(wait_for("array([0. , 0.5, 1. ])", m), "tab completes function names");
    m = type(":vars\r");
    check(wait_for("int64", m), ":vars lists bindings");
    type(":quit\r");
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; i++) usleep(50000);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, ":quit exits with status 0");
    char path[64], line[256];
    snprintf(path, sizeof path, "%s/.kiln_history", home);
    FILE *h = fopen(path, "r");
    int found = 0;
    while (h && fgets(line, sizeof line, h)) found |= strstr(line, "arange(3)") != NULL;
    if (h) fclose(h);
    check(found, "history is saved across sessions");
    snprintf(line, sizeof line, "rm -rf %s", home);
    if (system(line) != 0) failures++;
    if (failures) fprintf(stderr, "--- screen ---\n%s\n", screen);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
