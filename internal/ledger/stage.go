package ledger

// Stage is where a deal stands; each status update sets one.
type Stage string

// The eight stages, in the order a deal usually moves through them.
const (
	StageProposed   Stage = "proposed"
	StageAnnounced  Stage = "announced"
	StageAgreed     Stage = "agreed"
	StageContracted Stage = "contracted"
	StageUnderWay   Stage = "under_way"
	StageDelivered  Stage = "delivered"
	StageStalled    Stage = "stalled"
	StageCancelled  Stage = "cancelled"
)

// Class says what a stage counts as: what was signaled or what was signed.
type Class string

// The classes of stage.
const (
	ClassDeclaration Class = "declaration"
	ClassDeal        Class = "deal"
	ClassSide        Class = "side"
	ClassTerminal    Class = "terminal"
)

// StageInfo describes a stage for people: its label, definition and class.
type StageInfo struct {
	Key        Stage
	Label      string
	Definition string
	Class      Class
}

var stages = []StageInfo{
	{StageProposed, "Proposed", "Raised or sought by one side; no public commitment by the other.", ClassDeclaration},
	{StageAnnounced, "Announced", "Public statement of intent, letter of interest, \u201cwill consider\u201d.", ClassDeclaration},
	{StageAgreed, "Agreed", "Memorandum of understanding or framework agreement signed; not binding on delivery.", ClassDeclaration},
	{StageContracted, "Contracted", "Binding contract, firm order or financing agreement signed.", ClassDeal},
	{StageUnderWay, "Under way", "Implementation started: money disbursed, work begun, deliveries started.", ClassDeal},
	{StageDelivered, "Delivered", "Completed as committed.", ClassDeal},
	{StageStalled, "Stalled", "No verifiable progress for 180 days, or publicly blocked.", ClassSide},
	{StageCancelled, "Cancelled", "Withdrawn or abandoned.", ClassTerminal},
}

// Stages returns every stage in order.
func Stages() []StageInfo {
	return append([]StageInfo(nil), stages...)
}

// Info returns the description of s; an unknown stage gets its key as label.
func (s Stage) Info() StageInfo {
	for _, i := range stages {
		if i.Key == s {
			return i
		}
	}
	return StageInfo{Key: s, Label: string(s)}
}

// Valid reports whether s is one of the eight stages.
func (s Stage) Valid() bool { return s.Info().Class != "" }

// Label returns the stage's name for people.
func (s Stage) Label() string { return s.Info().Label }

// Sector is the field of the economy a deal or priority belongs to.
type Sector string

// SectorInfo names a sector for people.
type SectorInfo struct {
	Key   Sector
	Label string
}

var sectors = []SectorInfo{
	{"trade", "Trade"},
	{"minerals", "Critical minerals"},
	{"energy", "Energy"},
	{"transport", "Transport"},
	{"technology", "Technology"},
	{"finance", "Finance"},
	{"security", "Security"},
	{"telecom", "Telecommunications"},
	{"education", "Education"},
	{"other", "Other"},
}

// Sectors returns every sector in display order.
func Sectors() []SectorInfo {
	return append([]SectorInfo(nil), sectors...)
}

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool { return s.Label() != "" }

// Label returns the sector's name for people, or "" when unknown.
func (s Sector) Label() string {
	for _, i := range sectors {
		if i.Key == s {
			return i.Label
		}
	}
	return ""
}
