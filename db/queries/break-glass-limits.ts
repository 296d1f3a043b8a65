// How long a break-glass admission may last, apart from the queries so that `npm run break-glass`
// can check its command line before it loads the database layer.
export const ADMIT_DEFAULT_MINUTES = 15;
export const ADMIT_MAX_MINUTES = 60;
