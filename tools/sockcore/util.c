/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the verbs. */
#include <sockcore/sockcore.h>
#include "cli.h"

int sockopt_int(int fd, int opt)
{
	socklen_t len = sizeof(int);
	int val = 0, ret;

	ret = sys_getsockopt(fd, SOL_SOCKET, opt, &val, &len);
	return ret < 0 ? ret : val;
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
