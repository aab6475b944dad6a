// Stands in for PrintReport in the dashboard's tests: the printout has its own tests
// (print-report.test.ts), so here it only records what the screen handed it.
export const printed: { summary: unknown; communeName: unknown; today: unknown }[] = [];

export default function PrintReportStub(_anchor: unknown, props: Record<string, unknown>): void {
  printed.push({ summary: props.summary, communeName: props.communeName, today: props.today });
}
