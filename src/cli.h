#ifndef MXBPA_CLI_H
#define MXBPA_CLI_H
#endif
