// The Faultline playbook language. Newlines are not significant; ';' may separate statements.
// The parse tree never leaves the grammar module: AstBuilder turns it into dev.faultline.ast records.
grammar Faultline;

// ---------------------------------------------------------------- files

file       : playbook EOF
           | stmt* EOF
           ;

playbook   : PLAYBOOK STRING block ;

replInput  : stmt* EOF ;

// The expression inside ${…} in a string; its end of input is the closing '}'.
interpolation : expr EOF ;

block      : LBRACE stmt* RBRACE ;

// ---------------------------------------------------------------- statements

stmt
  : SEMI                                                                   # emptyStmt
  | DESCRIPTION string                                                     # descriptionStmt
  | IMPORT STRING                                                          # importStmt
  | HOOK hookMode=name? (STRING | TRIPLE_STRING)                          # hookStmt
  | PARAM name (COLON typeWord=name)? (ASSIGN expr)? SECRET?               # paramStmt
  | PROFILE name profileFlag* LBRACE (profileEntry SEMI?)* RBRACE          # profileStmt
  | FN name LPAREN (fnParam (COMMA fnParam)* COMMA?)? RPAREN block         # fnStmt
  | GUARD STRING EVERY expr block ELSE abort                               # guardStmt
  | SCENARIO STRING (TAGS LBRACK (tag (COMMA tag)* COMMA?)? RBRACK)? block # scenarioStmt
  | STEP STRING (TIMEOUT expr)? block                                      # stepStmt
  | setting=(MAX_DURATION | MAX_BLAST_RADIUS | ROLLBACK_STRATEGY) expr     # settingStmt
  | LET name ASSIGN expr                                                   # letStmt
  | name ASSIGN expr                                                       # assignStmt
  | ifStmt                                                                 # ifStatement
  | FOR name IN expr block                                                 # forStmt
  | REPEAT expr block                                                      # repeatStmt
  | DECIDE LBRACE (whenArm SEMI?)* (elseArm SEMI?)? RBRACE                 # decideStmt
  | WAIT expr                                                              # waitStmt
  | EXPECT expr (COMMA expr)?                                              # expectStmt
  | RECORD name ASSIGN expr                                                # recordStmt
  | LOG expr                                                               # logStmt
  | abort                                                                  # abortStmt
  | REVERT (ALL | expr)                                                    # revertStmt
  | ROLLBACK block                                                         # rollbackStmt
  | RETURN expr?                                                           # returnStmt
  | expr                                                                   # exprStmt
  ;

ifStmt       : IF expr block (ELSE (ifStmt | block))? ;
abort        : ABORT postfix string? ;
whenArm      : WHEN expr ARROW action ;
elseArm      : ELSE ARROW action ;
action       : block | stmt ;
profileFlag  : DEFAULT | PRODUCTION ;
profileEntry : (name | MAX_BLAST_RADIUS) (DOT anyName)* ASSIGN expr ;  // max_blast_radius: the profile's limit
fnParam      : name (ASSIGN expr)? ;
tag          : anyName | STRING ;

// ---------------------------------------------------------------- expressions (lowest precedence last)

expr
  : postfix                                                    # postfixExpr
  | MINUS expr                                                 # negateExpr
  | expr op=(STAR | SLASH) expr                                # mulExpr
  | expr op=(PLUS | MINUS) expr                                # addExpr
  | expr WITHIN expr PLUSMINUS expr                            # withinAbsExpr
  | expr WITHIN expr OF expr                                   # withinRelExpr
  | expr op=(LT | LE | GT | GE | EQ | NE) expr                 # compareExpr
  | NOT expr                                                   # notExpr
  | expr AND expr                                              # andExpr
  | expr OR expr                                               # orExpr
  | AWAIT expr WITHIN expr (EVERY expr)?                       # awaitExpr
  | INJECT expr (FOR expr)?                                    # injectExpr
  | MEASURE block                                              # measureExpr
  ;

postfix
  : primary                                                    # primaryPostfix
  | postfix DOT anyName                                        # memberPostfix
  | postfix LPAREN (arg (COMMA arg)* COMMA?)? RPAREN           # callPostfix
  | postfix LBRACK expr RBRACK                                 # indexPostfix
  ;

arg        : (anyName COLON)? expr ;

primary
  : NUMBER                                                     # numberLit
  | QUANTITY                                                   # quantityLit
  | string                                                     # stringLit
  | TRUE                                                       # trueLit
  | FALSE                                                      # falseLit
  | NULL                                                       # nullLit
  | SEVERITY                                                   # severityLit
  | name                                                       # nameRef
  | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                 # listLit
  | LBRACE (mapEntry (COMMA mapEntry)* COMMA?)? RBRACE         # mapLit
  | LPAREN expr RPAREN                                         # parenExpr
  ;

mapEntry   : (anyName | STRING) COLON expr ;
string     : STRING | TRIPLE_STRING ;
name       : IDENT ;

// Keywords may be used as member names, named arguments and map keys: `traffic(for: 30s)`.
anyName
  : IDENT | PLAYBOOK | DESCRIPTION | IMPORT | HOOK | PARAM | SECRET | PROFILE | DEFAULT | PRODUCTION | FN
  | GUARD | EVERY | ELSE | SCENARIO | TAGS | STEP | TIMEOUT | MAX_DURATION | MAX_BLAST_RADIUS
  | ROLLBACK_STRATEGY | LET | IF | FOR | IN | REPEAT | DECIDE | WHEN | WAIT | EXPECT | RECORD | LOG
  | ABORT | REVERT | ALL | ROLLBACK | RETURN | WITHIN | OF | AND | OR | NOT | AWAIT | INJECT | MEASURE
  | TRUE | FALSE | NULL
  ;

// ---------------------------------------------------------------- lexer

PLAYBOOK          : 'playbook' ;
DESCRIPTION       : 'description' ;
IMPORT            : 'import' ;
HOOK              : 'hook' ;
PARAM             : 'param' ;
SECRET            : 'secret' ;
PROFILE           : 'profile' ;
DEFAULT           : 'default' ;
PRODUCTION        : 'production' ;
FN                : 'fn' ;
GUARD             : 'guard' ;
EVERY             : 'every' ;
ELSE              : 'else' ;
SCENARIO          : 'scenario' ;
TAGS              : 'tags' ;
STEP              : 'step' ;
TIMEOUT           : 'timeout' ;
MAX_DURATION      : 'max_duration' ;
MAX_BLAST_RADIUS  : 'max_blast_radius' ;
ROLLBACK_STRATEGY : 'rollback_strategy' ;
LET               : 'let' ;
IF                : 'if' ;
FOR               : 'for' ;
IN                : 'in' ;
REPEAT            : 'repeat' ;
DECIDE            : 'decide' ;
WHEN              : 'when' ;
WAIT              : 'wait' ;
EXPECT            : 'expect' ;
RECORD            : 'record' ;
LOG               : 'log' ;
ABORT             : 'abort' ;
REVERT            : 'revert' ;
ALL               : 'all' ;
ROLLBACK          : 'rollback' ;
RETURN            : 'return' ;
WITHIN            : 'within' ;
OF                : 'of' ;
AND               : 'and' ;
OR                : 'or' ;
NOT               : 'not' ;
AWAIT             : 'await' ;
INJECT            : 'inject' ;
MEASURE           : 'measure' ;
TRUE              : 'true' ;
FALSE             : 'false' ;
NULL              : 'null' ;

SEVERITY   : 'P' [1-4] ;

// A number directly followed by a unit. Listed before BAD_QUANTITY so that, at equal length, it wins.
QUANTITY   : DIGITS FRACTION? ( 'us' | 'µs' | 'ms' | 's' | 'm' | 'min' | 'h' | 'd'
                              | '%'
                              | 'B' | 'KB' | 'MB' | 'GB' | 'TB' | 'KiB' | 'MiB' | 'GiB' | 'TiB'
                              | '/s' | '/m' | '/min' | '/h' ) ;
NUMBER     : DIGITS FRACTION? ;
// A number glued to letters that are no unit (`5sec`, `10mbps`): reported with a did-you-mean.
BAD_QUANTITY : DIGITS FRACTION? [a-zA-Z_µ]+ [a-zA-Z_0-9]* ;

TRIPLE_STRING : '"""' .*? '"""' ;
STRING        : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;
// Strings that reach the end of the line or file: reported as such rather than as a stray quote.
UNTERMINATED_TRIPLE_STRING : '"""' ( ~'"' | '"' ~'"' | '""' ~'"' )* ( '"' | '""' )? EOF ;
UNTERMINATED_STRING        : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '\\'? ;
// 'text' is a common slip from other languages: one token, so it is reported once and clearly.
SINGLE_QUOTED              : '\'' ~['\r\n]* '\'' ;

IDENT      : [a-zA-Z_] [a-zA-Z_0-9]* ;

PLUSMINUS  : '±' | '+-' ;
ARROW      : '->' ;
EQ         : '==' ;
NE         : '!=' ;
LE         : '<=' ;
GE         : '>=' ;
LT         : '<' ;
GT         : '>' ;
ASSIGN     : '=' ;
PLUS       : '+' ;
MINUS      : '-' ;
STAR       : '*' ;
SLASH      : '/' ;
LPAREN     : '(' ;
RPAREN     : ')' ;
LBRACE     : '{' ;
RBRACE     : '}' ;
LBRACK     : '[' ;
RBRACK     : ']' ;
COMMA      : ',' ;
COLON      : ':' ;
SEMI       : ';' ;
DOT        : '.' ;

COMMENT    : '#' ~[\r\n]* -> skip ;
WS         : [ \t\r\n\u000C]+ -> skip ;
// Anything else is reported by the parser as an unexpected character.
UNKNOWN_CHAR : . ;

fragment DIGITS   : [0-9] ( '_'? [0-9] )* ;
fragment FRACTION : '.' [0-9]+ ;
