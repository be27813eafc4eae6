build/cc-native/lenet train --data data/mnist --arch paper-relu --passes 10 --seed 1  --model build/ablation/relu-seed1.model --log figures/data/ablation/relu-seed1.csv
