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
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
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
    m = type("for i in range(3):\r");
    check(wait_for("... ", m), "a block header gets the continuation prompt");
    m = type("    print(i * 10)\r");
    check(wait_for("... ", m), "the block goes on until an empty line");
    m = type("\r");
    check(wait_for("20\r\n", m) && wait_for("kiln> ", m), "an empty line runs the block");
    m = type("b = (1 +\r");
    check(wait_for("... ", m), "an open parenthesis continues the statement");
    m = type("2)\r");
    check(wait_for("kiln> ", m), "closing it runs the statement");
    m = type("b\r");
    check(wait_for("3\r\n", m), "the statement spread over two lines");
    m = type("partial line\x03");
    check(wait_for("kiln> ", m + 1), "Ctrl-C at the prompt gives a fresh prompt");
    m = type("a\r");
    check(wait_for("array([0, 1, 2])", m), "and dropped the line typed so far");
    m = type("big = zeros(20000000)\r");
    check(wait_for("kiln> ", m + 1), "a big array");
    m = type("for k in range(100000):\r    big = sin(big + 1)\r\r");
    usleep(400000);
    size_t before = seen;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    type("\x03");
    int stopped = wait_for("KeyboardInterrupt", before);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double latency = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    check(stopped, "Ctrl-C during a long loop stops it (KeyboardInterrupt)");
    printf("   (stopped %.0f ms after Ctrl-C)\n", latency * 1e3);
    check(wait_for("kiln> ", before), "and the prompt comes back");
    m = type("a\r");
    check(wait_for("array([0, 1, 2])", m), "bindings are intact after the interrupt");
    m = type("big.shape\r");
    check(wait_for("(20000000,)", m), "the interrupted statement's target keeps a whole value");
    m = type(":threads 1\r");
    check(wait_for("1 thread\r\n", m), ":threads 1 says '1 thread'");
    m = type(":help\r");
    check(wait_for("sigmoid", m) && wait_for("kiln> ", m), ":help lists the functions");
    m = type(":help softmax\r");
    check(wait_for("softmax(x, axis=None)", m), ":help NAME gives a signature");
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

    /* a session killed without a clean exit still leaves its history */
    pid = forkpty(&master, NULL, NULL, NULL);
    if (pid == 0) {
        setenv("HOME", home, 1);
        setenv("TERM", "dumb", 1);
        execl(argv[1], argv[1], (char *)NULL);
        _exit(127);
    }
    seen = 0;
    memset(screen, 0, sizeof screen);
    check(wait_for("kiln> ", 0), "a second session starts");
    m = type("hist_marker = 42\r");
    check(wait_for("kiln> ", m + 1), "a line is entered");
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    h = fopen(path, "r");
    found = 0;
    while (h && fgets(line, sizeof line, h)) found |= strstr(line, "hist_marker") != NULL;
    if (h) fclose(h);
    check(found, "history is written as each line is entered (a killed session keeps it)");
    if (!found) {
        snprintf(line, sizeof line, "cat %s >&2", path);
        if (system(line) != 0) failures++;
    }
    snprintf(line, sizeof line, "rm -rf %s", home);
    if (system(line) != 0) failures++;
    if (failures) fprintf(stderr, "--- screen ---\n%s\n", screen);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
