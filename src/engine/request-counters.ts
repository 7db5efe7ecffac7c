// Requests one run sent, by kind: for the run-end event, the report and the benchmark.
export interface RequestCounters {
  submit: number;
  getTask: number;
  listTasks: number;
  cancel: number;
  upload: number;
  download: number;
}

export function newRequestCounters(): RequestCounters {
  return { submit: 0, getTask: 0, listTasks: 0, cancel: 0, upload: 0, download: 0 };
}
